import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

// The baseline for the HTTP benchmark: a bare Apollo Server 5 answering { hello }.
const server = new ApolloServer({
  typeDefs: 'type Query { hello: String! }',
  resolvers: { Query: { hello: () => 'world' } },
});
void startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4001), host: '127.0.0.1' } }).then(
  ({ url }) => console.error(`hello server at ${url}`),
);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
