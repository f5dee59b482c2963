import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on loopback (for emulators that cannot bind port 0 themselves). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

/** DynamoDB Local needs Java 17 or newer; say so clearly instead of failing later. */
export const checkJava = (): number => {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new JavaMissingError(
      'Java 17 or newer is required for DynamoDB Local (e.g. `apt-get install openjdk-17-jre-headless`)',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17)
    throw new JavaMissingError(
      `Java 17 or newer is required for DynamoDB Local; found ${major || 'unknown'}`,
    );
  return major;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
