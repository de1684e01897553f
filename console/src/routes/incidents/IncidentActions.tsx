import {
  ArrowRightOutlined,
  CheckOutlined,
  FileSearchOutlined,
  FlagOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  ReadOutlined,
  RollbackOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Radio, Space, message } from 'antd';
import { useState } from 'react';
import { incidentApi } from '../../api/endpoints';
import { INCIDENT_SEVERITIES, ROOT_CAUSE_CATEGORIES } from '../../api/types';
import type {
  AllowedTransition,
  IncidentDetail,
  IncidentSeverity,
  RootCauseCategory,
} from '../../api/types';
import { useT } from '../../i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { ProblemAlert } from '../common/problem';
import { useCurrentUser } from '../session/session';
import { ActionDialog } from './ActionDialog';
import { canAcknowledgeNow, isBackward, transitionButtons, transitionNeeds } from './lifecycle';
import {
  canAcknowledgeByRole,
  canAssign,
  canChangeSeverity,
  canRecordFindings,
} from './permissions';
import { knownKey } from './texts';

/** Bounds of what people type, as the server checks them (src/core/incidents/lifecycle.ts). */
export const NOTE_LENGTH_MAX = 2000;
const DETAIL_LENGTH_MAX = 2000;
const SUMMARY_LENGTH_MAX = 4000;
const LESSON_LENGTH_MAX = 500;
const LESSONS_MAX = 20;
const REASON_LENGTH_MAX = 500;
const USERNAME_LENGTH_MAX = 64;

type Dialog =
  | { kind: 'assign' }
  | { kind: 'transition'; move: AllowedTransition }
  | { kind: 'rootCause' }
  | { kind: 'postMortem' }
  | { kind: 'severity' };

/** The name of a move on its button: by the server's action, else by where it goes. */
export function useMoveLabel() {
  const { t } = useT();
  return (from: IncidentDetail['status'], move: AllowedTransition): string => {
    const byAction = move.action === undefined ? undefined : knownKey(`move.${move.action}`);
    if (byAction !== undefined) return t(byAction);
    const byTarget = isBackward(from, move.to) ? undefined : knownKey(`moveTo.${move.to}`);
    if (byTarget !== undefined) return t(byTarget);
    return t('move.generic', { status: t(`incidentStatus.${move.to}`) });
  };
}

/**
 * The buttons of what the signed-in user may do with the incident now, each opening its form.
 * Moves come from the server (`allowedTransitions`), so that a role never sees a button the
 * server would refuse; the requirements of a move are said in its form before it is sent.
 */
export function IncidentActions({
  incident,
  onChanged,
}: {
  incident: IncidentDetail;
  onChanged: () => void;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [acknowledging, setAcknowledging] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [toast, toastHolder] = message.useMessage();
  const moveLabel = useMoveLabel();

  const moves = transitionButtons(incident.status, incident.allowedTransitions);
  const mayAcknowledge =
    incident.allowedTransitions === undefined
      ? canAcknowledgeByRole(user.role, incident)
      : canAcknowledgeNow(incident.allowedTransitions);
  const mayAssign = canAssign(user.role, incident);
  const mayRecord = canRecordFindings(user.role, incident);
  const maySeverity = canChangeSeverity(user.role, incident);
  const firstForward = moves.find((move) => !isBackward(incident.status, move.to));

  if (!mayAcknowledge && !mayAssign && !mayRecord && !maySeverity && moves.length === 0) {
    return null;
  }

  const done = (text: string) => {
    setDialog(null);
    setError(null);
    void toast.success(text);
    onChanged();
  };

  const acknowledge = async () => {
    setAcknowledging(true);
    setError(null);
    try {
      await incidentApi.acknowledge(incident.id);
      done(t('incident.acknowledged'));
    } catch (caught) {
      setError(caught);
    } finally {
      setAcknowledging(false);
    }
  };

  return (
    <>
      {toastHolder}
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={error} />
        </div>
      )}
      <Flex gap={8} wrap role="toolbar" aria-label={t('incident.actions')}>
        {mayAcknowledge && (
          <Button
            type="primary"
            danger={incident.ackOverdue === true}
            icon={<CheckOutlined />}
            loading={acknowledging}
            onClick={() => void acknowledge()}
          >
            {t('incident.acknowledge')}
          </Button>
        )}
        {moves.map((move) => (
          <Button
            key={move.to}
            type={move === firstForward && !mayAcknowledge ? 'primary' : 'default'}
            icon={
              isBackward(incident.status, move.to) ? <RollbackOutlined /> : <ArrowRightOutlined />
            }
            onClick={() => setDialog({ kind: 'transition', move })}
          >
            {moveLabel(incident.status, move)}
          </Button>
        ))}
        {mayAssign && (
          <Button icon={<UserSwitchOutlined />} onClick={() => setDialog({ kind: 'assign' })}>
            {incident.assignee ? t('incident.reassign') : t('incident.assign')}
          </Button>
        )}
        {mayRecord && (
          <Button icon={<FileSearchOutlined />} onClick={() => setDialog({ kind: 'rootCause' })}>
            {incident.rootCause ? t('incident.rootCause.edit') : t('incident.rootCause.record')}
          </Button>
        )}
        {mayRecord && (
          <Button icon={<ReadOutlined />} onClick={() => setDialog({ kind: 'postMortem' })}>
            {incident.postMortem ? t('incident.postMortem.edit') : t('incident.postMortem.record')}
          </Button>
        )}
        {maySeverity && (
          <Button icon={<FlagOutlined />} onClick={() => setDialog({ kind: 'severity' })}>
            {t('incident.severity.change')}
          </Button>
        )}
      </Flex>
      <AssignDialog
        incident={incident}
        open={dialog?.kind === 'assign'}
        onClose={() => setDialog(null)}
        onDone={(username) => done(t('incident.assigned', { username }))}
      />
      {dialog?.kind === 'transition' && (
        <TransitionDialog
          incident={incident}
          move={dialog.move}
          title={moveLabel(incident.status, dialog.move)}
          onClose={() => setDialog(null)}
          onDone={() =>
            done(t('incident.moved', { status: t(`incidentStatus.${dialog.move.to}`) }))
          }
        />
      )}
      <RootCauseDialog
        incident={incident}
        open={dialog?.kind === 'rootCause'}
        onClose={() => setDialog(null)}
        onDone={() => done(t('incident.rootCause.saved'))}
      />
      <PostMortemDialog
        incident={incident}
        open={dialog?.kind === 'postMortem'}
        onClose={() => setDialog(null)}
        onDone={() => done(t('incident.postMortem.saved'))}
      />
      <SeverityDialog
        incident={incident}
        open={dialog?.kind === 'severity'}
        onClose={() => setDialog(null)}
        onDone={() => done(t('incident.severity.changed'))}
      />
    </>
  );
}

interface DialogProps {
  incident: IncidentDetail;
  open: boolean;
  onClose: () => void;
}

function AssignDialog(props: DialogProps & { onDone: (username: string) => void }) {
  const { t } = useT();
  const user = useCurrentUser();
  const [form] = Form.useForm<{ username: string }>();
  return (
    <ActionDialog<{ username: string }>
      open={props.open}
      title={t('incident.assign.title')}
      hint={t('incident.assign.hint')}
      confirm={t('incident.assign.confirm')}
      form={form}
      initialValues={{ username: props.incident.assignee ?? '' }}
      onClose={props.onClose}
      onSubmit={async ({ username }) => {
        await incidentApi.assign(props.incident.id, username.trim());
        props.onDone(username.trim());
      }}
    >
      <Form.Item label={t('incident.assign.username')} required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="username"
            noStyle
            rules={[
              { required: true, whitespace: true, message: t('incident.assign.required') },
              { max: USERNAME_LENGTH_MAX },
            ]}
          >
            <Input
              aria-label={t('incident.assign.username')}
              maxLength={USERNAME_LENGTH_MAX}
              autoComplete="off"
            />
          </Form.Item>
          <Button onClick={() => form.setFieldValue('username', user.username)}>
            {t('incident.assign.me')}
          </Button>
        </Space.Compact>
      </Form.Item>
    </ActionDialog>
  );
}

interface TransitionValues {
  note?: string;
  heldMoneyPlan?: string;
}

function TransitionDialog(props: {
  incident: IncidentDetail;
  move: AllowedTransition;
  title: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<TransitionValues>();
  const needs = transitionNeeds(props.incident, props.move);
  const from = t(`incidentStatus.${props.incident.status}`);
  const to = t(`incidentStatus.${props.move.to}`);
  const blockers: MessageKey[] = [];
  if (needs.rootCauseMissing) blockers.push('incident.move.needsRootCause');
  if (needs.postMortemMissing) blockers.push('incident.move.needsPostMortem');
  if (needs.otherIncidentOpen) blockers.push('incident.move.otherIncidentOpen');
  return (
    <ActionDialog<TransitionValues>
      open
      title={props.title}
      hint={t('incident.move.hint', { from, to })}
      confirm={t('incident.move.confirm')}
      form={form}
      onClose={props.onClose}
      onSubmit={async (values) => {
        await incidentApi.transition(props.incident.id, {
          to: props.move.to,
          note: values.note?.trim(),
          heldMoneyPlan: needs.heldMoneyPlan ? values.heldMoneyPlan?.trim() : undefined,
        });
        props.onDone();
      }}
    >
      {blockers.map((key) => (
        <Alert key={key} type="warning" showIcon title={t(key)} style={{ marginBottom: 12 }} />
      ))}
      {needs.heldMoneyPlan && (
        <Form.Item
          name="heldMoneyPlan"
          label={t('incident.move.heldMoneyPlan')}
          extra={t('incident.move.heldMoneyPlanHint')}
          rules={[
            { required: true, whitespace: true, message: t('incident.move.heldMoneyPlanRequired') },
          ]}
        >
          {/* No counter: it would sit over the hint below. */}
          <Input.TextArea rows={3} maxLength={NOTE_LENGTH_MAX} />
        </Form.Item>
      )}
      <Form.Item
        name="note"
        label={needs.note ? t('incident.move.noteWhy') : t('incident.move.note')}
        rules={
          needs.note
            ? [{ required: true, whitespace: true, message: t('incident.move.noteRequired') }]
            : []
        }
      >
        <Input.TextArea rows={3} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}

interface RootCauseValues {
  category: RootCauseCategory;
  detail: string;
  operator?: string;
}

function RootCauseDialog(props: DialogProps & { onDone: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm<RootCauseValues>();
  const current = props.incident.rootCause ?? null;
  return (
    <ActionDialog<RootCauseValues>
      open={props.open}
      title={t('incident.rootCause.title')}
      hint={t('incident.rootCause.hint')}
      confirm={t('incident.rootCause.confirm')}
      form={form}
      initialValues={
        current === null
          ? {}
          : { category: current.category, detail: current.detail, operator: current.operator ?? '' }
      }
      onClose={props.onClose}
      onSubmit={async (values) => {
        await incidentApi.rootCause(props.incident.id, {
          category: values.category,
          detail: values.detail.trim(),
          operator: values.category === 'operator_error' ? values.operator?.trim() : undefined,
        });
        props.onDone();
      }}
    >
      <Form.Item
        name="category"
        label={t('incident.rootCause.category')}
        rules={[{ required: true, message: t('incident.rootCause.categoryRequired') }]}
      >
        {/* Five categories, all in view: one click, nothing hidden in a dropdown. */}
        <Radio.Group
          options={ROOT_CAUSE_CATEGORIES.map((value) => ({
            value,
            label: t(`rootCause.${value}`),
          }))}
        />
      </Form.Item>
      {/* An operator error names the operator: asked for only then. */}
      <Form.Item noStyle dependencies={['category']}>
        {({ getFieldValue }) =>
          getFieldValue('category') === 'operator_error' ? (
            <Form.Item
              name="operator"
              label={t('incident.rootCause.operator')}
              extra={t('incident.rootCause.operatorHint')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('incident.rootCause.operatorRequired'),
                },
              ]}
            >
              <Input maxLength={USERNAME_LENGTH_MAX} autoComplete="off" />
            </Form.Item>
          ) : null
        }
      </Form.Item>
      <Form.Item
        name="detail"
        label={t('incident.rootCause.detail')}
        rules={[
          { required: true, whitespace: true, message: t('incident.rootCause.detailRequired') },
        ]}
      >
        <Input.TextArea rows={4} showCount maxLength={DETAIL_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}

interface PostMortemValues {
  summary: string;
  lessons: string[];
}

function PostMortemDialog(props: DialogProps & { onDone: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm<PostMortemValues>();
  const current = props.incident.postMortem ?? null;
  return (
    <ActionDialog<PostMortemValues>
      open={props.open}
      title={t('incident.postMortem.title')}
      hint={t('incident.postMortem.hint')}
      confirm={t('incident.postMortem.confirm')}
      form={form}
      initialValues={
        current === null
          ? { summary: '', lessons: [''] }
          : { summary: current.summary, lessons: current.lessons }
      }
      onClose={props.onClose}
      onSubmit={async (values) => {
        await incidentApi.postMortem(props.incident.id, {
          summary: values.summary.trim(),
          lessons: values.lessons.map((lesson) => lesson.trim()).filter((lesson) => lesson !== ''),
        });
        props.onDone();
      }}
    >
      <Form.Item
        name="summary"
        label={t('incident.postMortem.summary')}
        rules={[
          { required: true, whitespace: true, message: t('incident.postMortem.summaryRequired') },
        ]}
      >
        <Input.TextArea rows={4} showCount maxLength={SUMMARY_LENGTH_MAX} />
      </Form.Item>
      <Form.List
        name="lessons"
        rules={[
          {
            validator: async (_, lessons: string[] | undefined) => {
              if ((lessons ?? []).every((lesson) => (lesson ?? '').trim() === '')) {
                throw new Error(t('incident.postMortem.lessonsRequired'));
              }
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <Form.Item label={t('incident.postMortem.lessons')} required>
            {fields.map((field, index) => (
              <Flex key={field.key} gap={8} align="baseline">
                <Form.Item name={field.name} style={{ flex: 1, marginBottom: 8 }}>
                  <Input
                    aria-label={t('incident.postMortem.lesson', { number: index + 1 })}
                    placeholder={t('incident.postMortem.lessonPlaceholder')}
                    maxLength={LESSON_LENGTH_MAX}
                  />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    aria-label={t('incident.postMortem.removeLesson', { number: index + 1 })}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                  />
                )}
              </Flex>
            ))}
            {fields.length < LESSONS_MAX && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                {t('incident.postMortem.addLesson')}
              </Button>
            )}
            <Form.ErrorList errors={errors} />
          </Form.Item>
        )}
      </Form.List>
    </ActionDialog>
  );
}

interface SeverityValues {
  severity: IncidentSeverity;
  reason: string;
}

function SeverityDialog(props: DialogProps & { onDone: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm<SeverityValues>();
  return (
    <ActionDialog<SeverityValues>
      open={props.open}
      title={t('incident.severity.title')}
      hint={t('incident.severity.hint')}
      confirm={t('incident.severity.confirm')}
      form={form}
      initialValues={{ severity: props.incident.severity, reason: '' }}
      onClose={props.onClose}
      onSubmit={async (values) => {
        await incidentApi.severity(props.incident.id, values.severity, values.reason.trim());
        props.onDone();
      }}
    >
      <Form.Item name="severity" label={t('incident.severity')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={INCIDENT_SEVERITIES.map((value) => ({
            value,
            label: t(`incidentSeverity.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('incident.severity.reason')}
        rules={[
          { required: true, whitespace: true, message: t('incident.severity.reasonRequired') },
        ]}
      >
        <Input.TextArea rows={3} showCount maxLength={REASON_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}
