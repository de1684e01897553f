import { useEffect, useRef } from 'react';
import type { ConsoleNotification } from '../../api/types';

/** The window event the bell raises for each notification that arrives live. */
const ARRIVAL_EVENT = 'settleguard:notification';

/** Tells the screens that a notification arrived (the bell calls it). */
export function announceArrival(item: ConsoleNotification): void {
  window.dispatchEvent(new CustomEvent<ConsoleNotification>(ARRIVAL_EVENT, { detail: item }));
}

/**
 * Runs `onArrival` for each notification that arrives live while the component is shown, so that
 * a screen (the queue, the overview, an incident) can read its figures again as things happen.
 */
export function useNotificationArrivals(onArrival: (item: ConsoleNotification) => void): void {
  const callback = useRef(onArrival);
  useEffect(() => {
    callback.current = onArrival;
  });
  useEffect(() => {
    const listener = (event: Event) => {
      callback.current((event as CustomEvent<ConsoleNotification>).detail);
    };
    window.addEventListener(ARRIVAL_EVENT, listener);
    return () => window.removeEventListener(ARRIVAL_EVENT, listener);
  }, []);
}

/** Events after which incident figures and lists have changed. */
export function changesIncidents(item: ConsoleNotification): boolean {
  return item.type.startsWith('incident.') || item.incidentId != null;
}
