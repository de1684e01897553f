import { Button, Flex, Typography } from 'antd';
import { useT } from '../../i18n';
import { ProblemAlert } from './problem';
import type { CursorList } from './use-cursor-list';

/** Under a cursor-paged table: how many rows are loaded, and a button for the next page. */
export function LoadMore<T>({ list }: { list: CursorList<T> }) {
  const { t } = useT();
  return (
    <Flex vertical gap={12} align="center" style={{ marginTop: 16 }}>
      {list.error !== undefined && <ProblemAlert error={list.error} onRetry={list.retry} />}
      {list.hasMore ? (
        <Flex gap={12} align="center">
          <Typography.Text type="secondary">
            {t('common.loadedCount', { count: list.items.length })}
          </Typography.Text>
          <Button onClick={list.loadMore} loading={list.loading && list.items.length > 0}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      ) : (
        !list.loading &&
        list.items.length > 0 && (
          <Typography.Text type="secondary">
            {t('common.noMore', { count: list.items.length })}
          </Typography.Text>
        )
      )}
    </Flex>
  );
}
