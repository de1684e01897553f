import { ClockCircleOutlined, ExperimentOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import type { IncidentSummary } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';

/** 演练: a practice incident, marked wherever it appears so that nobody takes it for real. */
export function DrillTag() {
  const { t } = useT();
  return (
    <Tooltip title={t('incident.drillHint')}>
      <Tag color="purple" icon={<ExperimentOutlined />} style={{ marginInlineEnd: 8 }}>
        {t('incident.drill')}
      </Tag>
    </Tooltip>
  );
}

/**
 * Where the acknowledgement stands: who acknowledged and when; or when it is due, in red with
 * the words "overdue" once that time has passed (not colour alone).
 */
export function AckDue({
  incident,
  compact = false,
}: {
  incident: Pick<
    IncidentSummary,
    'acknowledgedAt' | 'acknowledgedBy' | 'ackDueAt' | 'ackOverdue' | 'status'
  >;
  /** In the queue: only what needs attention (overdue, or due), nothing once acknowledged. */
  compact?: boolean;
}) {
  const { t, formatDateTime } = useT();
  if (incident.acknowledgedAt) {
    if (compact) return null;
    return (
      <Typography.Text type="secondary">
        <Identifier>
          {incident.acknowledgedBy
            ? t('incidents.ackedBy', {
                username: incident.acknowledgedBy,
                at: formatDateTime(incident.acknowledgedAt),
              })
            : t('incidents.ackedAt', { at: formatDateTime(incident.acknowledgedAt) })}
        </Identifier>
      </Typography.Text>
    );
  }
  if (incident.ackOverdue === true) {
    const tag = (
      <Tag color="red" icon={<ClockCircleOutlined />}>
        {compact || !incident.ackDueAt
          ? t('incidents.ackOverdue')
          : t('incidents.ackOverdueSince', { at: formatDateTime(incident.ackDueAt) })}
      </Tag>
    );
    if (!compact || !incident.ackDueAt) return tag;
    // In the queue the due time goes under the tag, so that the column stays narrow.
    return (
      <span>
        {tag}
        <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
          <Identifier>
            {t('incidents.ackDueWas', { at: formatDateTime(incident.ackDueAt) })}
          </Identifier>
        </Typography.Text>
      </span>
    );
  }
  if (incident.ackDueAt && incident.status === 'open') {
    return (
      <Tag color="gold" icon={<ClockCircleOutlined />}>
        <Identifier>
          {t('incidents.ackDueBy', { at: formatDateTime(incident.ackDueAt) })}
        </Identifier>
      </Tag>
    );
  }
  return compact ? null : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
}
