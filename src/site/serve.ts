import {createReadStream, existsSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import path from 'node:path';
import {ExitCode, UserError} from '../util/errors.js';
import {CONTENT_SECURITY_POLICY} from './templates.js';

/** Only this machine can reach the preview: the site is private. */
export const SERVE_HOST = '127.0.0.1';
export const DEFAULT_SERVE_PORT = 8000;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/atom+xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.ogv': 'video/ogg',
  '.mov': 'video/quicktime',
  '.3gp': 'video/3gpp',
  '.pdf': 'application/pdf',
};

export interface SiteServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the folder on 127.0.0.1 (GET and HEAD only): a path is decoded, must stay inside the folder
 * and may not name a dotfile (the manifest, temporary files); a folder serves its index.html. Every
 * response carries the pages' Content-Security-Policy and `nosniff`, and no caching, so a rebuilt
 * site shows at the next reload. `port` 0 picks a free port.
 */
export async function startSiteServer(root: string, port: number): Promise<SiteServer> {
  const folder = path.resolve(root);
  if (!existsSync(path.join(folder, 'index.html'))) {
    throw new UserError(`There is no site in ${folder} (no index.html)`, ExitCode.inputNotFound, {
      path: folder,
      hint: `Build it first: egregora site build --output ${root}`,
    });
  }
  const server = createServer((request, response) => {
    const send = (status: number, text: string): void => {
      response.writeHead(status, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store'});
      response.end(request.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      send(405, 'Method not allowed');
      return;
    }
    const target = resolveRequestPath(folder, request.url ?? '/');
    if (target === null) {
      send(404, 'Not found');
      return;
    }
    void serveFile(target)
      .then((file) => {
        if (file === null) {
          send(404, 'Not found');
          return;
        }
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream',
          'content-length': String(file.size),
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'referrer-policy': 'no-referrer',
        });
        if (request.method === 'HEAD') {
          response.end();
          return;
        }
        createReadStream(file.path)
          .on('error', () => response.destroy())
          .pipe(response);
      })
      .catch(() => send(500, 'Cannot read the file'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new UserError(`Port ${port} on ${SERVE_HOST} is already in use`, ExitCode.usage, {
            hint: 'Stop what is using it, or pick another port: --port 8001 (or --port 0 for any free one).',
            cause: error,
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new UserError(`Not allowed to listen on port ${port} on ${SERVE_HOST}`, ExitCode.usage, {
            hint: 'Ports below 1024 need privileges: pick one above, e.g. --port 8000.',
            cause: error,
          }),
        );
      } else reject(error);
    });
    server.listen(port, SERVE_HOST, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${SERVE_HOST}:${actualPort}/`,
    port: actualPort,
    close: () => closeServer(server),
  };
}

/** The file a request path names inside `folder`, or null when it climbs out or names a dotfile. */
export function resolveRequestPath(folder: string, requestUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const resolved = path.join(folder, ...segments);
  if (resolved !== folder && !resolved.startsWith(folder + path.sep)) return null;
  return resolved;
}

async function serveFile(target: string): Promise<{path: string; size: number} | null> {
  try {
    let info = await stat(target);
    let file = target;
    if (info.isDirectory()) {
      file = path.join(target, 'index.html');
      info = await stat(file);
    }
    return info.isFile() ? {path: file, size: info.size} : null;
  } catch {
    return null;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
