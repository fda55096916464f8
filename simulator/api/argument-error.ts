// A call with the wrong number or kind of arguments. Python raises TypeError for both, and zope
// reports it like any other exception.

export class ArgumentError extends Error {
  override readonly name = 'TypeError';
}
