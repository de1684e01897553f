/**
 * The case file as a printable A4 letter in Chinese (pdfkit, Noto Sans SC embedded as a subset
 * of the glyphs used, so a letter is tens of kilobytes, not the font's ten megabytes). Sections
 * with headings, tables that continue on the next page with their header, long lists cut with
 * a count, page numbers, and a 演练 watermark on every page of a drill's letter.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { CHANNEL_NAMES, chinaDate, chinaDateTime, formatYuan } from '../../core/case-file.js';
import type { CaseFile } from './build.js';

const require = createRequire(import.meta.url);

interface Fonts {
  regular: Buffer;
  bold: Buffer;
}

let fonts: Fonts | null = null;

/** The fonts are read from disk once per process and shared by every letter. */
function loadFonts(): Fonts {
  fonts ??= {
    regular: fs.readFileSync(
      require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    ),
    bold: fs.readFileSync(
      require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
    ),
  };
  return fonts;
}

export const CASE_FILE_TITLE = '收款账户异常事件协查函';

const MARGIN = 56;
const FOOTER_Y_FROM_BOTTOM = 36;
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8;
const CELL_PAD = 3;
const LINE_COLOUR = '#9a9a9a';
const HEADER_FILL = '#ececec';

const TERMINAL_STATUS: Record<string, string> = {
  active: '正常',
  suspended: '已暂停',
  retired: '已撤机',
};
const ACCOUNT_STATUS: Record<string, string> = {
  pending_verification: '待验证',
  active: '正常',
  errored: '异常',
  frozen: '已冻结',
  superseded: '已替换',
};
const MERCHANT_TYPE: Record<string, string> = {
  enterprise: '企业',
  individual_business: '个体工商户',
  micro: '小微商户',
};
const TRANSACTION_TYPE: Record<string, string> = {
  purchase: '消费',
  refund: '退货',
  reversal: '冲正',
  void: '撤销',
};
const TRANSACTION_STATUS: Record<string, string> = { approved: '成功', declined: '拒绝' };
const LINE_STATUS: Record<string, string> = { held: '暂停结算', returned: '银行退回' };
const ALERT_SEVERITY: Record<string, string> = {
  low: '低',
  medium: '中',
  high: '高',
  critical: '严重',
};
const EVIDENCE_KIND: Record<string, string> = { snapshot: '系统快照', file: '文件' };
const RETURN_CODE: Record<string, string> = {
  account_closed: '账户已销户',
  account_frozen: '账户冻结',
  name_mismatch: '户名不符',
  invalid_account: '账号无效',
  bank_rejected: '银行拒绝',
  other: '其他',
};
/** The system's own actors, as a reader at a bank would understand them. */
const ACTORS: Record<string, string> = {
  screening: '系统（交易监测）',
  evidence: '系统（证据固定）',
  scheduler: '系统（定时任务）',
  cli: '系统（命令行）',
};
const actor = (name: string) => ACTORS[name] ?? name;

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

const named = (table: Record<string, string>, value: string | null) =>
  value === null ? '—' : (table[value] ?? value);

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** Text, headings and tables on pages that break where they must. */
class Letter {
  readonly doc: PDFKit.PDFDocument;
  private section = 0;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  get width(): number {
    return this.doc.page.width - MARGIN * 2;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string): void {
    this.ensureSpace(60);
    const numeral = NUMERALS[this.section] ?? String(this.section + 1);
    this.section += 1;
    this.doc.moveDown(0.6);
    this.doc
      .font('bold')
      .fontSize(12)
      .fillColor('#000')
      .text(`${numeral}、${text}`, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string, options: { size?: number; colour?: string; bold?: boolean } = {}): void {
    this.doc
      .font(options.bold ? 'bold' : 'regular')
      .fontSize(options.size ?? BODY_SIZE)
      .fillColor(options.colour ?? '#000');
    this.ensureSpace(this.doc.heightOfString(text, { width: this.width }) + 2);
    this.doc.text(text, MARGIN, this.doc.y, { width: this.width, lineGap: 2 });
    this.doc.fillColor('#000');
  }

  /** Label and value pairs in two columns of a borderless table. */
  facts(rows: readonly (readonly [string, string])[]): void {
    const labelWidth = 120;
    for (const [label, value] of rows) {
      this.doc.fontSize(BODY_SIZE);
      const height = Math.max(
        this.doc.font('regular').heightOfString(value || '—', { width: this.width - labelWidth }),
        this.doc.font('bold').heightOfString(label, { width: labelWidth - 8 }),
      );
      this.ensureSpace(height + 3);
      const y = this.doc.y;
      this.doc.font('bold').text(label, MARGIN, y, { width: labelWidth - 8 });
      this.doc.font('regular').text(value || '—', MARGIN + labelWidth, y, {
        width: this.width - labelWidth,
      });
      this.doc.y = y + height + 3;
    }
  }

  private rowHeight(cells: readonly string[], columns: readonly Column[], bold: boolean): number {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(TABLE_SIZE);
    let height = 0;
    cells.forEach((cell, i) => {
      const width = (columns[i]?.width ?? 40) - CELL_PAD * 2;
      height = Math.max(height, this.doc.heightOfString(cell || '—', { width }));
    });
    return height + CELL_PAD * 2;
  }

  private drawRow(
    cells: readonly string[],
    columns: readonly Column[],
    options: { bold: boolean; fill?: string },
  ): void {
    const height = this.rowHeight(cells, columns, options.bold);
    const top = this.doc.y;
    let x = MARGIN;
    if (options.fill) {
      this.doc.rect(MARGIN, top, this.width, height).fill(options.fill);
      this.doc.fillColor('#000');
    }
    this.doc.font(options.bold ? 'bold' : 'regular').fontSize(TABLE_SIZE);
    columns.forEach((column, i) => {
      this.doc.text(cells[i] || '—', x + CELL_PAD, top + CELL_PAD, {
        width: column.width - CELL_PAD * 2,
        align: column.align ?? 'left',
      });
      this.doc.rect(x, top, column.width, height).lineWidth(0.5).strokeColor(LINE_COLOUR).stroke();
      x += column.width;
    });
    this.doc.x = MARGIN;
    this.doc.y = top + height;
  }

  /**
   * A table with a header row repeated on every page it runs onto. Column widths are fractions
   * of the text width. Rows beyond what the data holds are reported under the table.
   */
  table(
    columns: readonly { header: string; share: number; align?: Column['align'] }[],
    rows: readonly (readonly string[])[],
    options: { total?: number; empty?: string } = {},
  ): void {
    if (rows.length === 0) {
      this.paragraph(options.empty ?? '无。');
      return;
    }
    const shares = columns.reduce((sum, c) => sum + c.share, 0);
    const laid: Column[] = columns.map((c) => ({
      header: c.header,
      width: (this.width * c.share) / shares,
      ...(c.align ? { align: c.align } : {}),
    }));
    const headers = laid.map((c) => c.header);
    const headerHeight = this.rowHeight(headers, laid, true);
    this.ensureSpace(headerHeight + this.rowHeight(rows[0] ?? [], laid, false));
    this.drawRow(headers, laid, { bold: true, fill: HEADER_FILL });
    for (const row of rows) {
      const height = this.rowHeight(row, laid, false);
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        this.drawRow(headers, laid, { bold: true, fill: HEADER_FILL });
      }
      this.drawRow(row, laid, { bold: false });
    }
    const total = options.total ?? rows.length;
    if (total > rows.length) {
      this.doc.moveDown(0.2);
      this.paragraph(
        `（共 ${total} 项，此处列出前 ${rows.length} 项，其余 ${total - rows.length} 项见证据包或系统记录。）`,
        {
          size: TABLE_SIZE,
          colour: '#444',
        },
      );
    }
    this.doc.moveDown(0.3);
  }
}

function header(letter: Letter, file: CaseFile): void {
  const { doc } = letter;
  doc
    .font('bold')
    .fontSize(18)
    .text(file.drill ? `${CASE_FILE_TITLE}（演练）` : CASE_FILE_TITLE, MARGIN, MARGIN, {
      width: letter.width,
      align: 'center',
    });
  doc.moveDown(0.5);
  doc
    .font('regular')
    .fontSize(BODY_SIZE)
    .text(`编号：${file.reference}`, MARGIN, doc.y, { width: letter.width / 2, continued: false });
  doc.moveUp();
  doc.text(`日期：${chinaDate(file.generatedAt)}`, MARGIN + letter.width / 2, doc.y, {
    width: letter.width / 2,
    align: 'right',
  });
  doc.moveDown(0.8);
  if (file.drill) {
    letter.paragraph('【演练】本函由应急演练生成，仅供培训使用，不得对外发送。', {
      bold: true,
      colour: '#b00020',
    });
    doc.moveDown(0.4);
  }
  const merchant = file.merchant;
  letter.paragraph('致：涉事结算账户开户银行 / 支付机构', { bold: true });
  doc.moveDown(0.3);
  letter.paragraph(
    `我司作为收单机构，在交易监测中发现商户${merchant ? `「${merchant.name}」（商户编号 ${merchant.merchantNo}）` : `（商户编号 ${file.incident.merchantNo}）`}的收单交易与结算账户存在异常，已依照风险处置程序采取暂停相关终端交易、暂停结算等控制措施。现将有关情况及证据函告如下，恳请贵方予以协查，并就“请求事项”所列各项给予配合。`,
  );
}

function sections(letter: Letter, file: CaseFile): void {
  const m = file.merchant;
  letter.heading('事件概况');
  letter.facts([
    ['事件编号', file.incident.id],
    ['事件', file.incident.title.zh],
    ['严重级别', file.incident.severity],
    ['当前状态', file.incident.statusName.zh],
    ['发现时间', chinaDateTime(file.incident.openedAt)],
    ['关联商户', file.incident.relatedMerchantNos.join('、') || '无'],
  ]);

  letter.heading('商户信息');
  letter.facts(
    m
      ? [
          ['商户名称', m.name],
          ['商户编号', m.merchantNo],
          ['商户类型', named(MERCHANT_TYPE, m.type)],
          ['法定代表人（负责人）', m.legalPersonName],
          ['证件号码（脱敏）', m.legalPersonIdMasked],
          ['统一社会信用代码', m.uscc ?? '—'],
          ['联系电话（脱敏）', m.contactPhoneMasked ?? '—'],
          ['经营地址', m.address ?? '—'],
        ]
      : [['商户', '商户未在登记库中']],
  );

  letter.heading('涉及终端');
  letter.table(
    [
      { header: '终端号', share: 1.1 },
      { header: '登记商户编号', share: 1.6 },
      { header: '型号', share: 1.1 },
      { header: '序列号', share: 1.3 },
      { header: '状态', share: 0.8 },
      { header: '暂停时间', share: 1.4 },
    ],
    file.terminals.map((t) => [
      t.terminalId,
      t.merchantNo,
      t.model,
      t.serialNumber,
      named(TERMINAL_STATUS, t.status),
      t.suspendedAt ? chinaDateTime(t.suspendedAt) : '—',
    ]),
  );

  letter.heading('结算账户（账号已脱敏）');
  letter.table(
    [
      { header: '商户编号', share: 1.5 },
      { header: '账号', share: 1.6 },
      { header: '户名', share: 1.6 },
      { header: '开户行', share: 1.6 },
      { header: '状态', share: 0.8 },
      { header: '生效时间', share: 1.3 },
    ],
    file.accounts.map((a) => [
      a.merchantNo,
      a.accountNumberMasked,
      a.accountName,
      a.bankName ?? '—',
      named(ACCOUNT_STATUS, a.status),
      chinaDateTime(a.validFrom),
    ]),
  );

  letter.heading('监测告警');
  letter.table(
    [
      { header: '时间', share: 1.2 },
      { header: '规则', share: 1.3 },
      { header: '级别', share: 0.5 },
      { header: '说明', share: 4 },
    ],
    file.alerts.map((a) => [
      chinaDateTime(a.createdAt),
      a.ruleName.zh,
      named(ALERT_SEVERITY, a.severity),
      a.explanation.zh,
    ]),
  );

  letter.heading('事件经过');
  letter.table(
    [
      { header: '时间', share: 1.2 },
      { header: '事项', share: 4.6 },
      { header: '操作人', share: 1 },
    ],
    file.timeline.map((e) => [chinaDateTime(e.at), e.text.zh, actor(e.actor)]),
    { total: file.timelineTotal },
  );

  letter.heading('涉及金额与暂停结算情况');
  const a = file.affected;
  letter.paragraph(
    `涉及交易 ${a.transactionCount} 笔：成功消费合计 ${formatYuan(a.purchasesFen)} 元，退货、冲正、撤销合计 ${formatYuan(a.deductionsFen)} 元，净额 ${formatYuan(a.netFen)} 元。`,
  );
  letter.doc.moveDown(0.3);
  letter.table(
    [
      { header: '交易时间', share: 1.3 },
      { header: '交易号', share: 1.4 },
      { header: '商户编号', share: 1.5 },
      { header: '终端号', share: 1 },
      { header: '类型', share: 0.7 },
      { header: '金额（元）', share: 1.1, align: 'right' },
      { header: '卡号（脱敏）', share: 1.5 },
    ],
    a.transactions.map((t) => [
      chinaDateTime(t.occurredAt),
      t.id,
      t.merchantNo,
      t.terminalId,
      `${named(TRANSACTION_TYPE, t.type)}${t.status === 'approved' ? '' : `（${named(TRANSACTION_STATUS, t.status)}）`}`,
      formatYuan(t.amountFen),
      t.panMasked ?? '—',
    ]),
    { total: a.transactionCount, empty: '无关联交易（告警由登记信息触发）。' },
  );
  const h = file.held;
  if (h.holds.length === 0) {
    letter.paragraph(file.drill ? '演练不暂停真实结算。' : '本事件未设置结算暂停。');
  } else {
    for (const hold of h.holds) {
      letter.paragraph(
        `结算暂停：${hold.reason}；${chinaDateTime(hold.placedAt)} 起由${actor(hold.placedBy)}设置${hold.releasedAt ? `，已于 ${chinaDateTime(hold.releasedAt)} 解除` : '，目前仍暂停'}。`,
      );
    }
  }
  letter.paragraph(
    `目前暂停结算资金 ${formatYuan(h.heldFen)} 元，银行退回待处理资金 ${formatYuan(h.returnedFen)} 元，共 ${h.lineCount} 笔结算明细。`,
  );
  letter.doc.moveDown(0.3);
  letter.table(
    [
      { header: '业务日期', share: 1 },
      { header: '状态', share: 0.9 },
      { header: '金额（元）', share: 1.1, align: 'right' },
      { header: '收款账号（脱敏）', share: 1.7 },
      { header: '退回原因', share: 1.1 },
    ],
    h.lines.map((l) => [
      l.businessDate,
      named(LINE_STATUS, l.status),
      formatYuan(l.amountFen),
      l.accountNumberMasked ?? '—',
      l.returnCode ? named(RETURN_CODE, l.returnCode) : '—',
    ]),
    { total: h.lineCount, empty: '无暂停或退回的结算明细。' },
  );

  letter.heading('证据清单');
  letter.table(
    [
      { header: '序号', share: 0.45, align: 'center' },
      { header: '类型', share: 0.75 },
      { header: '文件名', share: 1.9 },
      { header: '大小', share: 0.7, align: 'right' },
      { header: 'SHA-256', share: 2.4 },
      { header: '添加时间', share: 1.2 },
    ],
    file.evidence.map((e, i) => [
      String(i + 1),
      named(EVIDENCE_KIND, e.kind),
      e.fileName,
      size(e.sizeBytes),
      `${e.sha256.slice(0, 32)}\n${e.sha256.slice(32)}`,
      chinaDateTime(e.createdAt),
    ]),
    { empty: '尚无证据。' },
  );
  letter.paragraph(
    '上述证据文件以 SHA-256 值标识，内容一经记录不可修改；贵方可凭证据包中的 SHA256SUMS 文件自行核验。',
    { size: TABLE_SIZE, colour: '#444' },
  );

  letter.heading('原因分析');
  const cause = file.rootCause;
  letter.paragraph(
    cause
      ? `原因类别：${cause.categoryName.zh}。${cause.detail}`
      : '原因尚在调查中，查明后另行函告。',
  );

  letter.heading('请求事项');
  file.requestedActions.forEach((action, i) => letter.paragraph(`${i + 1}. ${action.zh}。`));

  letter.heading('发送记录');
  letter.table(
    [
      { header: '发送时间', share: 1.2 },
      { header: '接收方', share: 2 },
      { header: '方式', share: 0.8 },
      { header: '对方编号', share: 1.3 },
      { header: '登记人', share: 0.9 },
    ],
    file.submissions.map((s) => [
      chinaDateTime(s.sentAt),
      s.sentTo,
      CHANNEL_NAMES[s.channel].zh,
      s.reference ?? '—',
      s.recordedBy,
    ]),
    { empty: '本函尚未登记发送记录。' },
  );

  letter.doc.moveDown(1.5);
  letter.ensureSpace(60);
  letter.paragraph('收单机构（盖章）：', { bold: true });
  letter.doc.moveDown(0.8);
  letter.paragraph(`日期：${chinaDate(file.generatedAt)}`);
}

/** Page numbers, the reference in the footer, and the drill watermark, on every page. */
function decorate(letter: Letter, file: CaseFile): void {
  const { doc } = letter;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: the margin is lifted meanwhile.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - FOOTER_Y_FROM_BOTTOM;
    doc.font('regular').fontSize(7.5).fillColor('#555');
    doc.text(`${CASE_FILE_TITLE} · 编号 ${file.reference}`, MARGIN, y, {
      width: letter.width / 2,
      lineBreak: false,
    });
    doc.text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, MARGIN + letter.width / 2, y, {
      width: letter.width / 2,
      align: 'right',
      lineBreak: false,
    });
    if (file.drill) {
      doc.save();
      doc.rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.font('bold').fontSize(140).fillColor('#d32f2f').fillOpacity(0.12);
      doc.text('演练', 0, doc.page.height / 2 - 90, {
        width: doc.page.width,
        align: 'center',
        lineBreak: false,
      });
      doc.restore();
    }
    doc.page.margins.bottom = bottom;
    doc.fillColor('#000').fillOpacity(1);
  }
}

/** Renders the case file; resolves with the whole PDF (a few pages, tens of kilobytes). */
export async function renderCaseFilePdf(file: CaseFile): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${CASE_FILE_TITLE} ${file.reference}`,
      Author: 'SettleGuard 收款账户卫士',
      Subject: file.incident.title.zh,
      CreationDate: new Date(file.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const letter = new Letter(doc);
  header(letter, file);
  sections(letter, file);
  decorate(letter, file);
  doc.end();
  return done;
}
