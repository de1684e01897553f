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
  terminals: Type.Array(TerminalSchema),
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
