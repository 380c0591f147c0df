/**
 * 412 Precondition Failed. Vklad's shared error codes have no 412, so the xAPI routes answer this one
 * themselves (as problem+json, like every other error).
 */
export class PreconditionFailed extends Error {
  readonly status = 412;
  constructor(message = 'The document changed since you read it (or is not there): read it again and retry with its ETag') {
    super(message);
    this.name = 'PreconditionFailed';
  }
}
