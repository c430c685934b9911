// workerd: `workerd test` runs this test handler; the endpoint and key arrive as text bindings.
import { oneCall } from "./one-call.mjs";

export default {
  async test(_controller, env) {
    console.log(JSON.stringify(await oneCall({ endpoint: env.endpoint, secretId: env.secretId, secretKey: env.secretKey })));
  },
};
