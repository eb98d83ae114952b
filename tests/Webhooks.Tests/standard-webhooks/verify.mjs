// Verifies deliveries with the Standard Webhooks reference implementation. Input: a JSON file with
// [{ secret, headers: { "webhook-id", "webhook-timestamp", "webhook-signature" }, body }]; prints one line per
// delivery: "ok" or the library's reason.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const { secret, headers, body } of cases) {
  try {
    new Webhook(secret).verify(body, headers);
    console.log("ok");
  } catch (error) {
    console.log(`refused: ${error.message}`);
  }
}
