import { Card } from 'antd';
import type { ReactNode } from 'react';

/** A card whose title is a real heading (level 2 under the page's h1), for screen readers. */
export function SectionCard(props: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card
      title={
        <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>{props.title}</h2>
      }
      extra={props.extra}
      style={{ marginBottom: 16 }}
    >
      {props.children}
    </Card>
  );
}
