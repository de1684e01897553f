/** Schemas shared by several routes; each route's own schema sits with the route. */
import { Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() })),
    ),
  },
  { $id: 'Problem' },
);

export const FieldWarning = Type.Object({
  path: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

export const NameCheckSchema = Type.Object({
  result: Type.Union([
    Type.Literal('match'),
    Type.Literal('close_match'),
    Type.Literal('no_match'),
  ]),
  score: Type.Number(),
  reasons: Type.Array(Type.String()),
  comparedWith: Type.Union([Type.Literal('merchant_name'), Type.Literal('legal_person')]),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AccountSchema = Type.Object({
  id: Type.String(),
  accountNumberMasked: Type.String(),
  accountName: Type.String(),
  accountType: Type.Union([Type.Literal('corporate'), Type.Literal('personal')]),
  bankName: Nullable(Type.String()),
  bankCode: Nullable(Type.String()),
  status: Type.String(),
  statusReason: Nullable(Type.String()),
  nameCheck: NameCheckSchema,
  warnings: Type.Array(FieldWarning),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: Nullable(Type.String({ format: 'date-time' })),
});

export const TerminalSchema = Type.Object({
  terminalId: Type.String(),
  merchantNo: Type.String(),
  serialNumber: Type.String(),
  model: Type.String(),
  firmwareVersion: Type.String(),
  location: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('retired')]),
  statusReason: Nullable(Type.String()),
  validFrom: Type.String({ format: 'date-time' }),
});

export const MerchantSchema = Type.Object({
  merchantNo: Type.String(),
  name: Type.String(),
  type: Type.String(),
  status: Type.String(),
  uscc: Nullable(Type.String()),
  usccChecksumOverrideReason: Nullable(Type.String()),
  legalPerson: Type.Object({ name: Type.String(), idNumberMasked: Type.String() }),
  mcc: Type.String(),
  contactPhoneMasked: Nullable(Type.String()),
  address: Nullable(Type.String()),
  validFrom: Type.String({ format: 'date-time' }),
  settlementAccount: Nullable(AccountSchema),
  terminals: Type.Array(
    Type.Intersect([
      TerminalSchema,
      Type.Object({
        suspendedByIncidentId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      }),
    ]),
  ),
  openIncidentId: Type.Union([Type.String(), Type.Null()]),
  settlementHold: Type.Union([
    Type.Object({
      reason: Type.String(),
      rules: Type.Array(Type.String()),
      since: Type.String({ format: 'date-time' }),
      incidentId: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  warnings: Type.Optional(Type.Array(FieldWarning)),
});

export const ListLimit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500 }));
export const Cursor = Type.Optional(Type.String({ maxLength: 200 }));
export const SearchText = Type.Optional(Type.String({ maxLength: 100 }));

export const errorResponses = {
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  422: ProblemSchema,
};

export const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const AlertSchema = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  severity: Type.String(),
  merchantNo: Type.String(),
  terminalId: Type.Union([Type.String(), Type.Null()]),
  transactionId: Type.Union([Type.String(), Type.Null()]),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  decision: Type.String(),
  explanation: Type.Object({
    zh: Type.String(),
    en: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
  }),
  createdAt: Type.String({ format: 'date-time' }),
  drill: Type.Boolean({ description: 'Made up by a drill (演练), not by screening' }),
});

export const TransactionSchema = Type.Object({
  id: Type.String(),
  terminalId: Type.String(),
  merchantNo: Type.String(),
  type: Type.String(),
  status: Type.String(),
  amountFen: Type.Integer(),
  currency: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  receivedAt: Type.String({ format: 'date-time' }),
  panMasked: Type.Union([Type.String(), Type.Null()]),
  merchantNameOnReceipt: Type.Union([Type.String(), Type.Null()]),
  rrn: Type.Union([Type.String(), Type.Null()]),
  stan: Type.Union([Type.String(), Type.Null()]),
  authCode: Type.Union([Type.String(), Type.Null()]),
  responseCode: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
  decision: Type.String(),
  alerts: Type.Array(Type.String()),
});

export const IncidentSummarySchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  severity: Type.String(),
  merchantNo: Type.String(),
  merchantName: Type.Union([Type.String(), Type.Null()]),
  title: Bilingual,
  drill: Type.Boolean(),
  scenario: Type.Union([Type.String(), Type.Null()], { description: 'The scenario of a drill' }),
  openedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  assignee: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  containedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  ackDueAt: Type.String({
    format: 'date-time',
    description: 'openedAt plus the default acknowledgement timeout of the severity',
  }),
  ackOverdue: Type.Boolean({ description: 'Still open, not acknowledged, past ackDueAt' }),
  alertCount: Type.Integer(),
  relatedMerchantNos: Type.Array(Type.String()),
  containment: Type.Object({
    terminalsSuspended: Type.Array(Type.String()),
    settlementHeld: Type.Boolean(),
    holdReason: Type.Union([Type.String(), Type.Null()]),
    holdRules: Type.Array(Type.String()),
  }),
});
