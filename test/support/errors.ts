/**
 * Fails unless `build` throws the library's SecureAiValidationError for the construct at
 * `constructPath`, with a message matching `message` (which should name the prop).
 */
export function expectInvalidProp(build: () => unknown, constructPath: string, message: RegExp): void {
  let error: Error | undefined;
  try {
    build();
  } catch (e) {
    error = e as Error;
  }
  expect(error?.name).toBe('SecureAiValidationError');
  expect(error?.message.startsWith(`[cdk-secure-ai] ${constructPath}: invalid `)).toBe(true);
  expect(error?.message).toMatch(message);
}
