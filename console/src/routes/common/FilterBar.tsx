import { Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useT } from '../../i18n';

/** The inline row of filters above a list; each control has a visible, associated label. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Form layout="inline" style={{ rowGap: 12, marginBottom: 16 }} role="search">
      {children}
    </Form>
  );
}

export function SearchFilter(props: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onSearch: (value: string) => void;
  /** Width of the box in pixels; a free-text search is wider than a single identifier. */
  width?: number;
}) {
  const { t } = useT();
  const [draft, setDraft] = useState(props.value);
  // The URL is the truth: going back in history puts the earlier text back in the box.
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <Form.Item label={props.label} htmlFor={props.id}>
      <Input.Search
        id={props.id}
        allowClear
        style={{ width: props.width ?? 380 }}
        placeholder={props.placeholder}
        enterButton={t('common.search')}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onSearch={(value) => props.onSearch(value.trim())}
      />
    </Form.Item>
  );
}

export function SelectFilter<V extends string>(props: {
  id: string;
  label: string;
  value: V | undefined;
  options: readonly { value: V; label: string }[];
  onChange: (value: V | undefined) => void;
  width?: number;
}) {
  const { t } = useT();
  return (
    <Form.Item label={props.label} htmlFor={props.id}>
      <Select<V>
        id={props.id}
        allowClear
        style={{ width: props.width ?? 160 }}
        placeholder={t('common.all')}
        // Filter lists are short: every option rendered, none scrolled out of the page.
        virtual={false}
        value={props.value}
        onChange={(value) => props.onChange(value)}
        options={props.options.map((option) => ({ value: option.value, label: option.label }))}
      />
    </Form.Item>
  );
}
