import { Button, Flex, Form, Input, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { incidentApi } from '../../api/endpoints';
import type { IncidentDetail, TimelineEntry } from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { useCurrentUser } from '../session/session';
import { canComment } from './permissions';
import { knownKey } from './texts';

const COMMENT_LENGTH_MAX = 2000;

/** Containment and alarms stand out; what brings the incident to an end is green. */
const TIMELINE_COLOURS: Partial<Record<string, string>> = {
  opened: 'red',
  alert_added: 'red',
  escalated: 'red',
  terminal_suspended: 'orange',
  settlement_held: 'orange',
  contained: 'orange',
  acknowledged: 'green',
  terminal_resumed: 'green',
  settlement_released: 'green',
  resolved: 'green',
  closed: 'gray',
  comment: 'gray',
};

/**
 * Everything that happened to the incident in order, with its time and who did it: alerts,
 * containment, notifications sent and acknowledged, comments, evidence, changes. People with the
 * right add a comment at the top.
 */
export function IncidentTimeline({
  incident,
  onChanged,
}: {
  incident: IncidentDetail;
  onChanged: () => void;
}) {
  const { t, tCode, formatDateTime, localize } = useT();
  const user = useCurrentUser();
  const kindText = (kind: string) => {
    const key = knownKey(`timelineKind.${kind}`);
    return key === undefined ? kind : t(key);
  };
  return (
    <>
      {canComment(user.role, incident) && (
        <CommentBox incidentId={incident.id} onChanged={onChanged} />
      )}
      {incident.timeline.length === 0 ? (
        <Typography.Text type="secondary">{t('incident.timelineEmpty')}</Typography.Text>
      ) : (
        <Timeline
          // The time in a narrow column on the left, what happened on the right.
          titleSpan="150px"
          items={incident.timeline.map((entry: TimelineEntry, index) => ({
            key: `${entry.at}-${index}`,
            color: TIMELINE_COLOURS[entry.kind] ?? 'blue',
            title: formatDateTime(entry.at),
            content: (
              <div data-kind={entry.kind}>
                <Flex gap={8} align="center" wrap>
                  <Tag style={{ marginInlineEnd: 0 }}>{kindText(entry.kind)}</Tag>
                  <Typography.Text strong>
                    {tCode('actor', entry.actor) ?? entry.actor}
                  </Typography.Text>
                </Flex>
                <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                  {localize(entry.text)}
                </Typography.Paragraph>
              </div>
            ),
          }))}
        />
      )}
    </>
  );
}

function CommentBox({ incidentId, onChanged }: { incidentId: string; onChanged: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm<{ text: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async ({ text }: { text: string }) => {
    setSaving(true);
    setError(null);
    try {
      await incidentApi.comment(incidentId, text.trim());
      form.resetFields();
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(values) => void submit(values)}
      style={{ marginBottom: 24 }}
    >
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={error} />
        </div>
      )}
      <Form.Item
        name="text"
        label={t('incident.comment.label')}
        rules={[{ required: true, whitespace: true, message: t('incident.comment.required') }]}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea
          rows={2}
          showCount
          maxLength={COMMENT_LENGTH_MAX}
          placeholder={t('incident.comment.placeholder')}
        />
      </Form.Item>
      <Button htmlType="submit" loading={saving}>
        {t('incident.comment.submit')}
      </Button>
    </Form>
  );
}
