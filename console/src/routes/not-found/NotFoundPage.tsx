import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';

export function NotFoundPage() {
  const { t } = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={<h1 style={{ fontSize: 'inherit', margin: 0 }}>{t('notFound.title')}</h1>}
      subTitle={t('notFound.subtitle')}
      extra={
        <Button type="primary" onClick={() => void navigate('/merchants')}>
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
