import { App as AntdApp } from 'antd';
import 'antd/dist/reset.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import { I18nProvider } from './i18n';
import { router } from './routes/router';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <I18nProvider>
      <AntdApp>
        <RouterProvider router={router} />
      </AntdApp>
    </I18nProvider>
  </StrictMode>,
);
