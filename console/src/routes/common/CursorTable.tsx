import { Table, type TableProps } from 'antd';
import { LoadMore } from './LoadMore';
import { ProblemAlert } from './problem';
import type { CursorList } from './use-cursor-list';

/**
 * A table fed by a cursor-paged list: the problem in the user's language when the first page
 * failed, otherwise the rows loaded so far and the button for the next page.
 */
export function CursorTable<T extends object>({
  list,
  ...tableProps
}: { list: CursorList<T> } & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'>) {
  if (list.error !== undefined && list.items.length === 0) {
    return <ProblemAlert error={list.error} onRetry={list.retry} />;
  }
  return (
    <>
      <Table<T>
        scroll={{ x: 'max-content' }}
        {...tableProps}
        dataSource={list.items}
        loading={list.loading && list.items.length === 0}
        pagination={false}
      />
      <LoadMore list={list} />
    </>
  );
}
