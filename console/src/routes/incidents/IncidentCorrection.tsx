import { Flex, Skeleton, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { accountChangeApi } from '../../api/correction';
import type { IncidentDetail } from '../../api/types';
import { useT } from '../../i18n';
import { AccountChangeStatusTag, HighRiskTag } from '../account-changes/ChangeTags';
import { accountChangePath } from '../account-changes/paths';
import { Identifier } from '../common/Identifier';
import { useLoader } from '../common/use-loader';
import { CorrectionProblem } from '../documents/problem';
import { merchantPath } from '../merchants/MerchantListPage';

/**
 * On an incident's page: the changes of settlement account asked for under this incident, each
 * a click from its own page, so that whoever works the incident sees how far the correction
 * has come. A change is asked for on the merchant's page, which this points to while there is
 * none.
 */
export function IncidentCorrection({ incident }: { incident: IncidentDetail }) {
  const { t, formatDateTime } = useT();
  const changes = useLoader(`changes:${incident.merchantNo}`, (signal) =>
    accountChangeApi.ofMerchant(incident.merchantNo, signal),
  );
  if (changes.status === 'loading') return <Skeleton active paragraph={{ rows: 1 }} />;
  if (changes.status === 'failed') {
    return <CorrectionProblem error={changes.error} onRetry={changes.reload} />;
  }
  const linked = changes.data.items.filter((change) => change.incidentId === incident.id);
  if (linked.length === 0) {
    return (
      <Flex gap={12} wrap align="baseline">
        <Typography.Text type="secondary">{t('incident.correction.none')}</Typography.Text>
        <Link to={merchantPath(incident.merchantNo)}>{t('incident.correction.toMerchant')}</Link>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={8}>
      {linked.map((change) => (
        <Flex key={change.id} gap={12} wrap align="center">
          <Link to={accountChangePath(change.id)}>
            {t('incident.correction.change', { at: formatDateTime(change.requestedAt) })}
          </Link>
          <span>
            <Typography.Text code>
              <Identifier>{change.account.accountNumberMasked}</Identifier>
            </Typography.Text>{' '}
            {change.account.accountName}
          </span>
          <AccountChangeStatusTag status={change.status} />
          {change.highRisk && <HighRiskTag />}
        </Flex>
      ))}
    </Flex>
  );
}
