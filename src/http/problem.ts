/**
 * Errors as `application/problem+json` (RFC 9457) with a stable `code`: one table from code to
 * HTTP status, and the mapping of every thrown thing to a problem.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  invalid_credentials: 401,
  current_password_wrong: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  rate_limited: 429,
  batch_too_large: 413,
  payload_too_large: 413,
  validation_failed: 422,
  import_format: 422,
  internal_error: 500,
  merchant_no_format: 422,
  terminal_id_format: 422,
  uscc_format: 422,
  uscc_checksum: 422,
  uscc_override_reason_required: 422,
  resident_id_format: 422,
  resident_id_checksum: 422,
  resident_id_birth_date: 422,
  card_number_format: 422,
  card_luhn_failed: 422,
  corporate_account_format: 422,
  cnaps_format: 422,
  mobile_format: 422,
  mcc_format: 422,
  bin_bank_mismatch: 422,
  account_type_not_allowed: 422,
  transaction_id_format: 422,
  amount_invalid: 422,
  occurred_at_invalid: 422,
  idempotency_mismatch: 409,
  screening_unavailable: 503,
  uscc_required: 422,
  merchant_unknown: 422,
  no_verified_account: 409,
  open_containment: 409,
  nothing_held: 409,
  result_not_applicable: 409,
  unsupported_media_type: 415,
  evidence_limit_reached: 409,
  evidence_store_unavailable: 503,
  evidence_file_unavailable: 409,
  invalid_transition: 409,
  root_cause_required: 409,
  post_mortem_required: 409,
  held_money_plan_required: 409,
  note_required: 422,
  incident_already_open: 409,
  incident_closed: 409,
  user_unknown: 422,
  assignee_not_allowed: 422,
  operator_required: 422,
  drill_no_merchant: 409,
  email_format: 422,
  notify_target_unknown: 422,
  already_reviewed: 409,
  document_limit_reached: 409,
  contact_limit_reached: 409,
  four_eyes_violation: 403,
  documents_missing: 409,
  consent_missing: 409,
  velocity_limit: 409,
  account_change_in_progress: 409,
  verification_not_sent: 409,
  no_active_terminal: 409,
  remediation_exists: 409,
  remediation_conflict: 409,
  remediation_not_applicable: 409,
  remediation_incomplete: 409,
  remediation_unassigned: 409,
  recovery_amount_exceeded: 409,
  recovery_case_closed: 409,
  recovery_passed_through: 409,
  retransaction_invalid: 422,
};

const TITLES: Partial<Record<number, string>> = {
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: { path: string; code: string; message: string }[];
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function problem(code: ErrorCode, detail: string, errors?: Problem['errors']): Problem {
  const status = STATUS[code];
  return {
    type: `https://settleguard.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}

/** `/legalPerson/idNumber` → `legalPerson.idNumber`. */
function pointerToPath(pointer: string, missing?: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (missing) parts.push(missing);
  return parts.join('.');
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) {
    return problem(
      error.code,
      error.message,
      error.issues.map(({ path, code, message }) => ({ path, code, message })),
    );
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return problem(
      'validation_failed',
      'The request does not match the expected shape',
      fastifyError.validation.map((v) => ({
        path: pointerToPath(
          v.instancePath,
          typeof v.params.missingProperty === 'string' ? v.params.missingProperty : undefined,
        ),
        code: 'validation_failed',
        message: v.message ?? 'invalid',
      })),
    );
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return problem('payload_too_large', 'The request body is too large');
  }
  if (fastifyError.statusCode === 400 || fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return problem('validation_failed', fastifyError.message);
  }
  if (fastifyError.statusCode === 415) {
    return problem('validation_failed', 'Send JSON (application/json)');
  }
  request.log.error({ err: error }, 'unexpected error');
  return problem('internal_error', 'Something went wrong on our side; it has been logged');
}
