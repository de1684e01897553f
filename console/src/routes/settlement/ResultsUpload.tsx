import { SendOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { SETTLEMENT_RESULTS_BATCH_MAX, settlementApi } from '../../api/endpoints';
import type {
  ResultOutcome,
  SettlementResultOutcome,
  SettlementResultsResponse,
} from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { formatFen } from '../common/money';
import { incidentPath } from '../incidents/paths';
import { merchantPath } from '../merchants/MerchantListPage';
import { parseResults } from './results-file';
import { LineStatusTag } from './settlement-tags';

/** Largest results file read into the page: far above 10,000 lines of bank results. */
const RESULTS_FILE_BYTES_MAX = 4 * 1024 * 1024;

const OUTCOME_COLOURS: Record<ResultOutcome, string> = {
  applied: 'green',
  unchanged: 'default',
  rejected: 'red',
};

/**
 * The bank's results: a CSV or NDJSON file read into the box, or lines pasted into it; what is
 * understood is counted before anything is sent, and each line's outcome is shown after.
 */
export function ResultsUpload({ onChanged }: { onChanged: () => void }) {
  const { t, tCode } = useT();
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<SettlementResultsResponse | null>(null);
  const parsed = useMemo(() => parseResults(text), [text]);

  const readFile = async (file: File) => {
    setFileError(null);
    if (file.size > RESULTS_FILE_BYTES_MAX) {
      setFileError(t('settlement.results.fileTooLarge', { max: '4 MB' }));
      return;
    }
    setText(await file.text());
    setAnswer(null);
  };

  const send = async () => {
    setSending(true);
    setError(null);
    const combined: SettlementResultsResponse = {
      applied: 0,
      unchanged: 0,
      rejected: 0,
      results: [],
    };
    try {
      // The server takes 1,000 results a call; each call is its own transaction.
      for (let start = 0; start < parsed.results.length; start += SETTLEMENT_RESULTS_BATCH_MAX) {
        const batch = parsed.results.slice(start, start + SETTLEMENT_RESULTS_BATCH_MAX);
        const part = await settlementApi.recordResults(batch);
        combined.applied += part.applied;
        combined.unchanged += part.unchanged;
        combined.rejected += part.rejected;
        combined.results.push(...part.results);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
      if (combined.results.length > 0) {
        setAnswer(combined);
        onChanged();
      }
    }
  };

  return (
    <Flex vertical gap={12}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('settlement.results.hint')}
      </Typography.Paragraph>
      <Typography.Text type="secondary">
        <code>{t('settlement.results.example')}</code>
      </Typography.Text>
      <div>
        <Upload
          accept=".csv,.txt,.ndjson,.jsonl,text/csv,text/plain"
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            void readFile(file);
            // Read here; nothing is uploaded until the lines are sent.
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>{t('settlement.results.chooseFile')}</Button>
        </Upload>
      </div>
      {fileError !== null && <Alert type="error" showIcon title={fileError} />}
      <label htmlFor="settlement-results-text">{t('settlement.results.paste')}</label>
      <Input.TextArea
        id="settlement-results-text"
        rows={6}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setAnswer(null);
        }}
        placeholder={t('settlement.results.placeholder')}
        style={{ fontFamily: 'monospace' }}
      />
      <Typography.Text>
        {t('settlement.results.understood', { count: parsed.results.length })}
      </Typography.Text>
      {parsed.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('settlement.results.problems', { count: parsed.problems.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {parsed.problems.slice(0, 20).map((problem) => (
                <li key={problem.line}>
                  {t('settlement.results.problemLine', {
                    line: problem.line,
                    problem: tCode('resultProblem', problem.problem) ?? problem.problem,
                  })}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <div>
        <Button
          type="primary"
          icon={<SendOutlined />}
          disabled={parsed.results.length === 0}
          loading={sending}
          onClick={() => void send()}
        >
          {t('settlement.results.send', { count: parsed.results.length })}
        </Button>
      </div>
      {error !== null && <ProblemAlert error={error} />}
      {answer !== null && <ResultsAnswer answer={answer} />}
    </Flex>
  );
}

/** The same line may be answered twice in one file: rows are keyed by their place. */
type OutcomeRow = SettlementResultOutcome & { key: number };

function ResultsAnswer({ answer }: { answer: SettlementResultsResponse }) {
  const { t, tCode } = useT();
  const none = t('common.none');
  const columns: TableColumnsType<OutcomeRow> = [
    {
      title: t('settlement.results.col.lineId'),
      dataIndex: 'lineId',
      render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
    },
    {
      title: t('settlement.results.col.merchantNo'),
      dataIndex: 'merchantNo',
      render: (value: string | undefined) =>
        value === undefined ? none : <Link to={merchantPath(value)}>{value}</Link>,
    },
    {
      title: t('settlement.results.col.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (value: number | undefined) => (value === undefined ? none : formatFen(value)),
    },
    {
      title: t('settlement.results.col.outcome'),
      dataIndex: 'outcome',
      render: (value: ResultOutcome) => (
        <Tag color={OUTCOME_COLOURS[value]}>{tCode('resultOutcome', value) ?? value}</Tag>
      ),
    },
    {
      title: t('settlement.results.col.lineStatus'),
      dataIndex: 'lineStatus',
      render: (value: string | undefined) =>
        value === undefined ? none : <LineStatusTag status={value} />,
    },
    {
      title: t('settlement.results.col.returnCode'),
      dataIndex: 'returnCode',
      render: (value: string | undefined) =>
        value === undefined ? none : (tCode('returnCode', value) ?? value),
    },
    {
      title: t('settlement.results.col.detail'),
      key: 'detail',
      render: (_: unknown, record) => {
        if (record.error !== undefined) {
          return tCode('error', record.error.code) ?? record.error.message;
        }
        if (record.incidentId !== undefined) {
          return (
            <Link to={incidentPath(record.incidentId)}>{t('settlement.results.incident')}</Link>
          );
        }
        return none;
      },
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Alert
        type={answer.rejected > 0 ? 'warning' : 'success'}
        showIcon
        role="status"
        title={t('settlement.results.summary', {
          applied: answer.applied,
          unchanged: answer.unchanged,
          rejected: answer.rejected,
        })}
      />
      <Table<OutcomeRow>
        size="small"
        columns={columns}
        dataSource={answer.results.map((result, index) => ({ ...result, key: index }))}
        pagination={answer.results.length > 50 ? { pageSize: 50 } : false}
        scroll={{ x: 'max-content' }}
      />
    </Flex>
  );
}
