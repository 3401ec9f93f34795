/** RFC 7644 §3.12 error types (and RFC 9865's invalidCursor), plus the status codes we answer with. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  /** RFC 9865: a cursor the service did not issue for this query (or can no longer honour). */
  | 'invalidCursor';

/**
 * Why an error was raised, for code that must tell errors apart: machine-readable and never
 * sent (the client reads `scimType` and `detail`). Matching on `detail` would break whenever a
 * message is reworded.
 */
export type ScimErrorReason =
  /** A filter names an attribute the resource type does not have (RFC 7644 §3.4.3: across types it matches nothing). */
  | 'unknownFilterAttribute'
  /** `sortBy` names an attribute the resource type does not have. */
  | 'unknownSortAttribute';

/** The error schema URN of RFC 7644 §3.12. */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The wire body of a SCIM error (RFC 7644 §3.12): `status` is a string. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail?: string;
}

/** A protocol failure with its HTTP status and RFC 7644 `scimType`; thrown anywhere, rendered once. */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly scimType: ScimErrorType | undefined,
    readonly detail: string,
    options?: { cause?: unknown; headers?: Record<string, string>; reason?: ScimErrorReason },
  ) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options?.headers;
    this.reason = options?.reason;
  }

  /** Extra response headers, e.g. `Retry-After` on 429. */
  readonly headers?: Record<string, string>;

  /** Why it was raised, where code needs to know (see {@link ScimErrorReason}); not part of the body. */
  readonly reason?: ScimErrorReason;

  /** The RFC 7644 §3.12 body. */
  toBody(): ScimErrorBody {
    return scimErrorBody(this.status, this.detail, this.scimType);
  }

  /** 400 with an RFC 7644 §3.12 scimType (and, for code that must tell it apart, a reason). */
  static badRequest(scimType: ScimErrorType | undefined, detail: string, reason?: ScimErrorReason): ScimError {
    return new ScimError(400, scimType, detail, reason === undefined ? undefined : { reason });
  }
  static notFound(detail: string): ScimError {
    return new ScimError(404, undefined, detail);
  }
  static conflict(detail: string): ScimError {
    return new ScimError(409, 'uniqueness', detail);
  }
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, undefined, detail);
  }
}

/** Builds an RFC 7644 §3.12 error body. */
export function scimErrorBody(status: number, detail: string, scimType?: ScimErrorType): ScimErrorBody {
  const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(status), detail };
  if (scimType) body.scimType = scimType;
  return body;
}

/** True for a ScimError, also across module copies (bundles). */
export function isScimError(e: unknown): e is ScimError {
  return e instanceof ScimError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'ScimError' && typeof (e as { status?: unknown }).status === 'number');
}
