import { Button, DatePicker, Form, Input, Space } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useT } from '../../i18n';
import { formatFen } from '../common/money';
import { useCurrentUser } from '../session/session';
import { chinaToday, yuanToFen } from './model';

/** Bounds of what people type, as the server checks them. */
export const USERNAME_LENGTH_MAX = 64;
export const NOTE_LENGTH_MAX = 2000;
export const REFERENCE_LENGTH_MAX = 100;
export const TRANSACTION_ID_LENGTH_MAX = 64;

/** A due date as the API takes it (YYYY-MM-DD), or undefined when none was picked. */
export function dueDateText(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}

/** A YYYY-MM-DD from the API as the date picker's value. */
export function dueDateValue(value: string | null | undefined): Dayjs | null {
  return value ? dayjs(value, 'YYYY-MM-DD') : null;
}

/**
 * The owner of a remediation: a staff username, with a button that fills in the signed-in user
 * (the usual case: whoever arranges the remediation does it).
 */
export function OwnerField({ name = 'owner', required }: { name?: string; required: boolean }) {
  const { t } = useT();
  const user = useCurrentUser();
  const form = Form.useFormInstance();
  return (
    <Form.Item
      label={t('remediation.field.owner')}
      required={required}
      extra={t('remediation.field.ownerHint')}
    >
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name={name}
          noStyle
          rules={[
            { required, whitespace: true, message: t('remediation.field.ownerRequired') },
            { max: USERNAME_LENGTH_MAX },
          ]}
        >
          <Input
            aria-label={t('remediation.field.owner')}
            maxLength={USERNAME_LENGTH_MAX}
            autoComplete="off"
          />
        </Form.Item>
        <Button onClick={() => form.setFieldValue(name, user.username)}>
          {t('remediation.field.ownerMe')}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}

/** The date the remediation is to be done by; a date already past is not offered. */
export function DueDateField({ required }: { required: boolean }) {
  const { t } = useT();
  const today = chinaToday(new Date());
  return (
    <Form.Item
      name="dueDate"
      label={t('remediation.field.dueDate')}
      rules={[{ required, message: t('remediation.field.dueDateRequired') }]}
    >
      <DatePicker
        format="YYYY-MM-DD"
        disabledDate={(date) => date.format('YYYY-MM-DD') < today}
        style={{ width: 200 }}
      />
    </Form.Item>
  );
}

/** An amount in yuan, typed as text and checked as fen (at most `maxFen` when given). */
export function AmountField(props: {
  name: string;
  label: string;
  extra?: string;
  maxFen?: number;
}) {
  const { t } = useT();
  return (
    <Form.Item
      name={props.name}
      label={props.label}
      extra={props.extra}
      rules={[
        {
          validator: async (_, value: string | undefined) => {
            const fen = yuanToFen(value ?? '');
            if (fen === undefined || fen <= 0)
              throw new Error(t('remediation.field.amountInvalid'));
            if (props.maxFen !== undefined && fen > props.maxFen) {
              throw new Error(
                t('remediation.field.amountTooLarge', { max: formatFen(props.maxFen) }),
              );
            }
          },
        },
      ]}
    >
      <Input prefix="¥" inputMode="decimal" style={{ width: 200 }} autoComplete="off" />
    </Form.Item>
  );
}
