// The reference for the ack benchmark: a bare Bolt app with one slash-command listener that only acks, on the
// same HTTP receiver, signature check and machine as napter-bot. Prints its port once it listens.
const { App, LogLevel } = require('@slack/bolt');

async function main() {
  const app = new App({
    signingSecret: process.env.SLACK_SIGNING_SECRET,
    token: process.env.SLACK_BOT_TOKEN,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL, retryConfig: { retries: 0 } },
    // Named, so the constructor does not call auth.test: the bench measures acks, not start-up.
    botId: 'B0BARE',
    botUserId: 'U0BARE',
    logLevel: LogLevel.ERROR,
  });
  app.command('/napter', async ({ ack }) => {
    await ack();
  });
  const server = await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write(`bare bolt listening on ${server.address().port}\n`);
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
