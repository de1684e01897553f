import { PlayCircleOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Form, Select, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { settlementApi } from '../../api/endpoints';
import { SETTLEMENT_CYCLES } from '../../api/types';
import type { SettlementCycle, SettlementRun } from '../../api/types';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { useCursorList } from '../common/use-cursor-list';
import { canCreateSettlementRun, canReadSettlement } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { heldLinesPath, settlementRunPath } from './paths';
import type { RunPageState } from './paths';

/** A count and its money in one cell: "3 笔 · ¥1,234.00". */
export function CountAndAmount({ count, amountFen }: { count: number; amountFen: number }) {
  const { t } = useT();
  if (count === 0) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Identifier>
      {t('settlement.countAndAmount', { count, amount: formatFen(amountFen) })}
    </Identifier>
  );
}

export function SettlementRunListPage() {
  const { t, tCode, formatDateTime } = useT();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const list = useCursorList('runs', (cursor, signal) => settlementApi.listRuns(cursor, signal));

  if (!canReadSettlement(user.role)) return <NotFoundPage />;

  const columns: TableColumnsType<SettlementRun> = [
    {
      title: t('settlement.runs.col.businessDate'),
      dataIndex: 'businessDate',
      render: (value: string, record) => (
        <Link to={settlementRunPath(record.id)} onClick={(event) => event.stopPropagation()}>
          <Identifier>{value}</Identifier>
        </Link>
      ),
    },
    {
      title: t('settlement.runs.col.cycle'),
      dataIndex: 'cycle',
      render: (value: string) => tCode('cycle', value) ?? value,
    },
    { title: t('settlement.runs.col.lines'), dataIndex: ['totals', 'lines'], align: 'right' },
    {
      title: t('lineStatus.ready'),
      key: 'ready',
      render: (_: unknown, record) => (
        <CountAndAmount count={record.totals.readyCount} amountFen={record.totals.readyFen} />
      ),
    },
    {
      title: t('lineStatus.held'),
      key: 'held',
      render: (_: unknown, record) => (
        <CountAndAmount count={record.totals.heldCount} amountFen={record.totals.heldFen} />
      ),
    },
    {
      title: t('lineStatus.paid'),
      key: 'paid',
      render: (_: unknown, record) => (
        <CountAndAmount count={record.totals.paidCount} amountFen={record.totals.paidFen} />
      ),
    },
    {
      title: t('lineStatus.returned'),
      key: 'returned',
      render: (_: unknown, record) => (
        <CountAndAmount count={record.totals.returnedCount} amountFen={record.totals.returnedFen} />
      ),
    },
    {
      title: t('settlement.runs.col.fees'),
      dataIndex: ['totals', 'feesFen'],
      align: 'right',
      render: (value: number) => <Identifier>{formatFen(value)}</Identifier>,
    },
    {
      title: t('settlement.runs.col.createdBy'),
      dataIndex: 'createdBy',
      render: (value: string) => tCode('actor', value) ?? value,
    },
    {
      title: t('settlement.runs.col.createdAt'),
      dataIndex: 'createdAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('settlement.runs.title')}
        </Typography.Title>
        <Link to={heldLinesPath()}>{t('settlement.runs.heldLink')}</Link>
      </Flex>
      {canCreateSettlementRun(user.role) && <CreateRunCard />}
      <Card>
        <CursorTable<SettlementRun>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('settlement.runs.empty') }}
          onRow={(record) => ({
            onClick: () => void navigate(settlementRunPath(record.id)),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
    </>
  );
}

interface CreateValues {
  /** The picker's date (a Day.js object); only its formatting is used. */
  businessDate: { format: (pattern: string) => string } | null;
  cycle?: SettlementCycle;
}

/** Settles one business date (admin, ops) and opens the run. */
function CreateRunCard() {
  const { t } = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (values: CreateValues) => {
    if (values.businessDate === null) return;
    const businessDate = values.businessDate.format('YYYY-MM-DD');
    setSaving(true);
    setError(null);
    try {
      const { status, body } = await settlementApi.createRun(businessDate, values.cycle);
      // The run's page says whether the run was made now or had been made before.
      const state: RunPageState = { notice: status === 201 ? 'created' : 'existing' };
      void navigate(settlementRunPath(body.id), { state });
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('settlement.create.hint')}
      </Typography.Paragraph>
      <Form<CreateValues>
        form={form}
        layout="inline"
        style={{ rowGap: 12 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="businessDate"
          label={t('settlement.create.businessDate')}
          htmlFor="settlement-business-date"
          rules={[{ required: true, message: t('settlement.create.businessDateRequired') }]}
        >
          <DatePicker
            id="settlement-business-date"
            format="YYYY-MM-DD"
            placeholder={t('settlement.create.businessDatePlaceholder')}
          />
        </Form.Item>
        <Form.Item name="cycle" label={t('settlement.create.cycle')} htmlFor="settlement-cycle">
          <Select<SettlementCycle>
            id="settlement-cycle"
            allowClear
            style={{ width: 200 }}
            placeholder={t('settlement.create.cycleDefault')}
            virtual={false}
            options={SETTLEMENT_CYCLES.map((value) => ({
              value,
              label: t(`cycle.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={saving}>
            {t('settlement.create.submit')}
          </Button>
        </Form.Item>
      </Form>
      {error !== null && (
        <Flex style={{ marginTop: 12 }}>
          <ProblemAlert error={error} />
        </Flex>
      )}
    </Card>
  );
}
