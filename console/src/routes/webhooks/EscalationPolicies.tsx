import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Flex,
  Form,
  InputNumber,
  Segmented,
  Select,
  Skeleton,
  Tag,
  Typography,
  message,
} from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { escalationApi } from '../../api/endpoints';
import { INCIDENT_SEVERITIES } from '../../api/types';
import type { EscalationPolicy, IncidentSeverity } from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';

/** How long the first people have to acknowledge when no policy is saved (the server's default). */
const DEFAULT_ACK_MINUTES: Record<IncidentSeverity, number> = { P1: 5, P2: 15, P3: 60, P4: 240 };
const LEVELS_MAX = 10;
const NOTIFY_MAX = 20;
const REPEAT_MAX = 10;
/** The server's bounds: 30 seconds to a day. */
const ACK_MINUTES_MAX = 24 * 60;

interface LevelValues {
  notify: string[];
  ackTimeoutMinutes: number;
}

interface PolicyValues {
  levels: LevelValues[];
  repeat: number;
}

function toValues(policy: EscalationPolicy | null, severity: IncidentSeverity): PolicyValues {
  if (policy === null || policy.levels.length === 0) {
    return {
      levels: [{ notify: [], ackTimeoutMinutes: DEFAULT_ACK_MINUTES[severity] }],
      repeat: 0,
    };
  }
  return {
    levels: policy.levels.map((level) => ({
      notify: level.notify,
      // Minutes with one decimal: a 30-second timeout shows as 0.5 and is saved as 30 again.
      ackTimeoutMinutes: Math.round(level.ackTimeoutSeconds / 6) / 10,
    })),
    repeat: policy.repeat,
  };
}

/**
 * Who is told about an incident of each severity, and who next when nobody acknowledges in
 * time: levels in order, each with the people (usernames, e-mail addresses, webhook ids) and the
 * minutes they have; then the levels again `repeat` more times.
 */
export function EscalationPolicies() {
  const { t } = useT();
  const [severity, setSeverity] = useState<IncidentSeverity>('P1');
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 820 }}>
        {t('escalation.hint')}
      </Typography.Paragraph>
      <Segmented<IncidentSeverity>
        value={severity}
        onChange={setSeverity}
        options={INCIDENT_SEVERITIES.map((value) => ({
          value,
          label: t(`incidentSeverity.${value}`),
        }))}
      />
      <PolicyForm key={severity} severity={severity} />
    </Flex>
  );
}

function PolicyForm({ severity }: { severity: IncidentSeverity }) {
  const policy = useLoader(`policy:${severity}`, async (signal) => {
    try {
      return await escalationApi.get(severity, signal);
    } catch (error) {
      // No policy saved yet for this severity: start from the default.
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  });
  if (policy.status === 'loading') return <Skeleton active />;
  if (policy.status === 'failed') {
    return <ProblemAlert error={policy.error} onRetry={policy.reload} />;
  }
  return <PolicyEditor severity={severity} policy={policy.data} onSaved={policy.refresh} />;
}

function PolicyEditor(props: {
  severity: IncidentSeverity;
  policy: EscalationPolicy | null;
  onSaved: () => void;
}) {
  const { t, formatDateTime } = useT();
  const [form] = Form.useForm<PolicyValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();

  const save = async (values: PolicyValues) => {
    setSaving(true);
    setError(null);
    try {
      await escalationApi.put(props.severity, {
        levels: values.levels.map((level) => ({
          notify: level.notify.map((target) => target.trim()).filter((target) => target !== ''),
          ackTimeoutSeconds: Math.round(level.ackTimeoutMinutes * 60),
        })),
        repeat: values.repeat,
      });
      void toast.success(t('escalation.saved', { severity: props.severity }));
      props.onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<PolicyValues>
      form={form}
      layout="vertical"
      initialValues={toValues(props.policy, props.severity)}
      onFinish={(values) => void save(values)}
      aria-label={t('escalation.formLabel', { severity: props.severity })}
    >
      {toastHolder}
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={error} />
        </div>
      )}
      {props.policy?.isDefault === true && (
        <Typography.Paragraph>
          <Tag color="blue">{t('escalation.default')}</Tag>
          <Typography.Text type="secondary">{t('escalation.defaultHint')}</Typography.Text>
        </Typography.Paragraph>
      )}
      {props.policy?.updatedAt && (
        <Typography.Paragraph type="secondary">
          {t('escalation.updated', {
            at: formatDateTime(props.policy.updatedAt),
            username: props.policy.updatedBy ?? '',
          })}
        </Typography.Paragraph>
      )}
      <Form.List
        name="levels"
        rules={[
          {
            validator: async (_, levels: LevelValues[] | undefined) => {
              if ((levels ?? []).length === 0) throw new Error(t('escalation.levelsRequired'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                style={{ marginBottom: 12 }}
                title={t('escalation.level', { number: index + 1 })}
                extra={
                  fields.length > 1 ? (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                    >
                      {t('escalation.removeLevel')}
                    </Button>
                  ) : undefined
                }
              >
                <Flex gap={16} wrap align="flex-start">
                  <Form.Item
                    name={[field.name, 'notify']}
                    label={t('escalation.notify')}
                    extra={t('escalation.notifyHint')}
                    style={{ flex: 1, minWidth: 320 }}
                    rules={[
                      {
                        required: true,
                        type: 'array',
                        min: 1,
                        message: t('escalation.notifyRequired'),
                      },
                      { type: 'array', max: NOTIFY_MAX },
                    ]}
                  >
                    <Select
                      mode="tags"
                      tokenSeparators={[',', '，', ' ', ';', '；']}
                      open={false}
                      suffix={null}
                      placeholder={t('escalation.notifyPlaceholder')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'ackTimeoutMinutes']}
                    label={t('escalation.ackTimeout')}
                    rules={[{ required: true, message: t('escalation.ackTimeoutRequired') }]}
                  >
                    <InputNumber
                      min={0.5}
                      max={ACK_MINUTES_MAX}
                      step={0.5}
                      suffix={t('escalation.minutes')}
                      style={{ width: 160 }}
                    />
                  </Form.Item>
                </Flex>
              </Card>
            ))}
            {fields.length < LEVELS_MAX && (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() =>
                  add({ notify: [], ackTimeoutMinutes: DEFAULT_ACK_MINUTES[props.severity] })
                }
                style={{ marginBottom: 16 }}
              >
                {t('escalation.addLevel')}
              </Button>
            )}
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
      <Form.Item
        name="repeat"
        label={t('escalation.repeat')}
        extra={t('escalation.repeatHint')}
        rules={[{ required: true }]}
      >
        <InputNumber min={0} max={REPEAT_MAX} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t('escalation.save', { severity: props.severity })}
      </Button>
    </Form>
  );
}
