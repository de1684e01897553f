import { describe, expect, it } from 'vitest';
import { mergeNotifications, parseStreamData, parseUnreadCount } from './use-notifications';

const BASE = { type: 'incident.opened', incidentId: 'i-1', drill: false };

describe('the bell reading the notification stream', () => {
  it('takes a notification, or one wrapped in an envelope, and nothing half-formed', () => {
    const item = { ...BASE, id: '7', createdAt: '2026-01-05T02:00:00.000Z' };
    expect(parseStreamData(JSON.stringify(item))).toEqual(item);
    expect(parseStreamData(JSON.stringify({ notification: item }))).toEqual(item);
    expect(parseStreamData('{"id":"7"}')).toBeNull();
    expect(parseStreamData('not json')).toBeNull();
    expect(parseStreamData('null')).toBeNull();
  });

  it('reads the unread count of the ready event', () => {
    expect(parseUnreadCount('{"unreadCount":3}')).toBe(3);
    expect(parseUnreadCount('{"unreadCount":-1}')).toBeNull();
    expect(parseUnreadCount('{}')).toBeNull();
    expect(parseUnreadCount('x')).toBeNull();
  });

  it('keeps one entry per id, newest first, read never undone', () => {
    const older = { ...BASE, id: '1', createdAt: '2026-01-05T01:00:00.000Z' };
    const newer = { ...BASE, id: '2', createdAt: '2026-01-05T02:00:00.000Z' };
    const read = { ...older, readAt: '2026-01-05T03:00:00.000Z' };
    expect(mergeNotifications([read], [older, newer]).map((n) => n.id)).toEqual(['2', '1']);
    // An arrival seen again (around a reconnect) does not undo "read".
    expect(mergeNotifications([read], [older])[0]?.readAt).toBe(read.readAt);
    expect(mergeNotifications([older], [read])[0]?.readAt).toBe(read.readAt);
  });
});
