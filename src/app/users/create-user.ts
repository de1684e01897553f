import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue, type FieldIssue } from '../../core/errors.js';
import { ROLES, type Principal, type Role } from '../../core/roles.js';
import { checkMerchantNo } from '../../core/identifiers/index.js';
import {
  hashPassword,
  hashToken,
  newToken,
  PASSWORD_LENGTH_MAX,
  PASSWORD_LENGTH_MIN,
} from './credentials.js';
import type { Queryable } from '../../storage/database.js';
import { maskEmail, normaliseEmail } from '../../core/notifications/addresses.js';

export interface CreateUserInput {
  username: string;
  role: Role;
  merchantNos?: string[];
  password?: string;
  /** Where escalations e-mail the user; optional. */
  email?: string | null;
}

export interface CreatedUser {
  id: string;
  username: string;
  role: Role;
  merchantNos: string[];
  email: string | null;
  /** Shown once; only its hash is stored. */
  token: string;
}

const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;
const MERCHANT_NOS_MAX = 500;

function validate(input: CreateUserInput): { merchantNos: string[]; email: string | null } {
  const issues: FieldIssue[] = [];
  const email = input.email ? normaliseEmail(input.email) : null;
  if (input.email && email === null) {
    issues.push(issue('email', 'email_format', 'Not a plain e-mail address (local@domain.tld)'));
  }
  if (!USERNAME_PATTERN.test(input.username)) {
    issues.push(
      issue('username', 'validation_failed', 'Username: 2 to 64 letters, digits or _ . @ -'),
    );
  }
  if (!(ROLES as readonly string[]).includes(input.role)) {
    issues.push(issue('role', 'validation_failed', `Role must be one of ${ROLES.join(', ')}`));
  }
  const merchantNos: string[] = [];
  for (const [index, raw] of (input.merchantNos ?? []).entries()) {
    const checked = checkMerchantNo(raw, `merchantNos.${index}`);
    if (checked.ok) merchantNos.push(checked.value);
    else issues.push(...checked.issues);
  }
  if (merchantNos.length > MERCHANT_NOS_MAX) {
    issues.push(issue('merchantNos', 'validation_failed', `At most ${MERCHANT_NOS_MAX} merchants`));
  }
  if (input.role === 'merchant' && merchantNos.length === 0 && issues.length === 0) {
    issues.push(
      issue('merchantNos', 'validation_failed', 'A merchant user needs at least one merchant'),
    );
  }
  if (input.role !== 'merchant' && merchantNos.length > 0) {
    issues.push(
      issue('merchantNos', 'validation_failed', 'Only merchant users are limited to merchants'),
    );
  }
  if (
    input.password !== undefined &&
    (input.password.length < PASSWORD_LENGTH_MIN || input.password.length > PASSWORD_LENGTH_MAX)
  ) {
    issues.push(
      issue(
        'password',
        'validation_failed',
        `Password: ${PASSWORD_LENGTH_MIN} to ${PASSWORD_LENGTH_MAX} characters`,
      ),
    );
  }
  if (issues.length > 0) throw new DomainError('validation_failed', 'Invalid user', issues);
  return { merchantNos, email };
}

/** Creates a user with a fresh bearer token; `actor` null means the command line. */
export async function createUser(
  ctx: AppContext,
  actor: Principal | null,
  input: CreateUserInput,
): Promise<CreatedUser> {
  if (actor) authorise(actor, 'users.create');
  const { merchantNos, email } = validate(input);
  const token = newToken();
  const id = ctx.newId();
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await ensureMerchantsExist(tx, merchantNos);
    const inserted = await tx.query(
      `INSERT INTO users (id, username, role, merchant_nos, password_hash, token_hash, created_at,
         email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (username) DO NOTHING`,
      [
        id,
        input.username,
        input.role,
        merchantNos,
        input.password === undefined ? null : hashPassword(input.password),
        hashToken(token),
        at,
        email,
      ],
    );
    if (inserted.rowCount === 0) {
      throw new DomainError('conflict', `User ${input.username} already exists`, [
        issue('username', 'conflict', 'This username is taken'),
      ]);
    }
    await recordAudit(
      tx,
      {
        actor: actor?.username ?? 'cli',
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        after: {
          username: input.username,
          role: input.role,
          merchantNos,
          ...(email ? { email: maskEmail(email) } : {}),
        },
      },
      at,
    );
  });
  return { id, username: input.username, role: input.role, merchantNos, email, token };
}

async function ensureMerchantsExist(tx: Queryable, merchantNos: string[]): Promise<void> {
  if (merchantNos.length === 0) return;
  const { rows } = await tx.query<{ merchant_no: string }>(
    'SELECT merchant_no FROM merchants WHERE valid_to IS NULL AND merchant_no = ANY($1)',
    [merchantNos],
  );
  const known = new Set(rows.map((row) => row.merchant_no));
  const issues = merchantNos.flatMap((merchantNo, index) =>
    known.has(merchantNo)
      ? []
      : [
          issue(
            `merchantNos.${index}`,
            'merchant_unknown',
            `Merchant ${merchantNo} does not exist`,
          ),
        ],
  );
  if (issues.length > 0) throw new DomainError('merchant_unknown', 'Unknown merchant', issues);
}
