import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { saveFile } from '../../api/client';
import type { DownloadedFile } from '../../api/client';
import { documentApi } from '../../api/correction';
import type { MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { canSeeDocumentFile } from './permissions';
import { CorrectionProblem } from './problem';
import { useCurrentUser } from '../session/session';

/** Tall enough to read a licence's small print next to the form. */
const PREVIEW_HEIGHT = 640;

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; file: DownloadedFile; url: string }
  | { status: 'failed'; error: unknown };

/**
 * The document itself, next to what is read off it: a picture shown as it is, a PDF in the
 * browser's viewer. The bytes come with the session cookie (the server re-hashes them on read and
 * refuses support and auditors), through an object URL revoked when the page moves on.
 */
export function DocumentPreview({ document }: { document: MerchantDocument }) {
  const { t } = useT();
  const user = useCurrentUser();
  if (!canSeeDocumentFile(user.role)) {
    return <Alert type="info" showIcon title={t('correction.preview.notForRole')} />;
  }
  return <LoadedPreview document={document} />;
}

function LoadedPreview({ document }: { document: MerchantDocument }) {
  const { t } = useT();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    setLoaded({ status: 'loading' });
    documentApi.file(document.id, document.fileName).then(
      (file) => {
        if (cancelled) return;
        url = URL.createObjectURL(file.blob);
        setLoaded({ status: 'ready', file, url });
      },
      (error: unknown) => {
        if (!cancelled) setLoaded({ status: 'failed', error });
      },
    );
    return () => {
      cancelled = true;
      if (url !== undefined) URL.revokeObjectURL(url);
    };
  }, [document.id, document.fileName, attempt]);

  if (loaded.status === 'loading') return <Skeleton.Image active style={{ width: 320 }} />;
  if (loaded.status === 'failed') {
    return <CorrectionProblem error={loaded.error} onRetry={() => setAttempt((n) => n + 1)} />;
  }
  const type = loaded.file.blob.type || document.contentType;
  const title = t('correction.preview.title', { name: document.fileName });
  return (
    <Flex vertical gap={8}>
      {type === 'application/pdf' ? (
        <iframe
          title={title}
          src={loaded.url}
          style={{ width: '100%', height: PREVIEW_HEIGHT, border: '1px solid #f0f0f0' }}
        />
      ) : type.startsWith('image/') ? (
        <img
          alt={title}
          src={loaded.url}
          style={{
            maxWidth: '100%',
            maxHeight: PREVIEW_HEIGHT,
            objectFit: 'contain',
            border: '1px solid #f0f0f0',
            alignSelf: 'flex-start',
          }}
        />
      ) : (
        <Typography.Text type="secondary">{t('correction.preview.unknownType')}</Typography.Text>
      )}
      <Button
        icon={<DownloadOutlined />}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => saveFile(loaded.file)}
      >
        {t('correction.preview.download')}
      </Button>
    </Flex>
  );
}
