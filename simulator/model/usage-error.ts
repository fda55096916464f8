// EXAoperation reports refused preconditions as a Python `UsageError`, which zope.publisher turns
// into "Unexpected Zope exception: UsageError: <message>". The model throws this class and only the
// API layer knows how to render it.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
