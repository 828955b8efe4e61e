// Reading a password: from standard input (a pipe: the first line), or typed at a terminal
// without echo.
import { createInterface } from 'node:readline';

export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, promptOut: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  promptOut.write(prompt);
  const rl = createInterface({ input, terminal: true });
  // Swallow the echo of what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.once('line', resolve));
  } finally {
    rl.close();
    promptOut.write('\n');
  }
}
