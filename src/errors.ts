/** The closed set of error codes Vklad answers with, each mapped to one HTTP status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_body: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with one field; `item` is the index in a batch, `line` the line of an imported file. */
export interface FieldError {
  field: string;
  reason: string;
  item?: number;
}

export class VkladError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'VkladError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const invalid = (errors: FieldError[], message = 'The request is invalid'): VkladError =>
  new VkladError('validation_failed', message, errors);

export const notFound = (what: string): VkladError => new VkladError('not_found', `${what} not found`);

export const conflict = (message: string, errors: FieldError[] = []): VkladError =>
  new VkladError('conflict', message, errors);
