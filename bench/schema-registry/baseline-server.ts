// The yardstick: a bare Fastify server with the same two routes, answering constants.
import Fastify from 'fastify';

const schema = process.argv[3] ?? '{"type":"string"}';
const app = Fastify({ logger: false });
app.addContentTypeParser('application/vnd.schemaregistry.v1+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
app.get('/schemas/ids/:id', async () => ({ schema }));
app.post('/subjects/:subject/versions', async () => ({ id: 1 }));
app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) }).then(
  () => process.stdout.write('ready\n'),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
