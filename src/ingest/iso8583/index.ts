export {
  Iso8583Codec,
  Iso8583Error,
  decodeMessage,
  decodePartial,
  encodeMessage,
  maskPan,
  type EncodeOptions,
  type Encoding,
  type IsoMessage,
} from './codec.js';
export {
  FIELDS,
  fieldSpec,
  formatIn,
  type BcdLayout,
  type FieldFormat,
  type FieldSpec,
  type LengthType,
} from './fields.js';
export {
  FRAME_LENGTH_MAX,
  FrameReader,
  encodeFrame,
  readFrameFile,
  splitFrames,
} from './frames.js';
export {
  APPROVED_RESPONSE_CODES,
  CURRENCY_CODES,
  toTransaction,
  type ToTransactionResult,
} from './to-transaction.js';
