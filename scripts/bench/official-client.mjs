// The same work as SigningBenchmarks.orderToSignedAuthenticatedRequest, done by Polymarket's
// official TypeScript client (@polymarket/clob-client-v2): a V2 limit order built and signed
// (EIP-712), its JSON body, and the L2 HMAC headers for POST /order. Run by
// scripts/official-client-bench.sh; prints microseconds per request.
import { Wallet } from "@ethersproject/wallet";
import { OrderBuilder, OrderType, Side, createL2Headers, orderToJsonV2 } from "@polymarket/clob-client-v2";

const wallet = new Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"); // the public dev key
const creds = { key: "0dd5a7e0-5eed-4c1a-9d2e-00000000de01", secret: "L4qeox9fHaW5J2rDFFzkauTGIGpsd4ePMDyiRevuriA=",
  passphrase: "dev-passphrase-simulator-only" };
const builder = new OrderBuilder(wallet, 137);
const order = { tokenID: "105682294313117557078598458216806842121027994977630852429513316371145609753027", price: 0.56,
  size: 21.04, side: Side.BUY };
const options = { tickSize: "0.01", negRisk: false };

async function request() {
  const signed = await builder.buildOrder(order, options, 2);
  const body = JSON.stringify(orderToJsonV2(signed, creds.key, OrderType.GTC));
  return createL2Headers(wallet, creds, { method: "POST", requestPath: "/order", body }, 1710000000);
}

const seconds = Number(process.argv[2] ?? 5);
for (const phase of ["warmup", "measure", "measure", "measure", "measure", "measure"]) {
  const until = process.hrtime.bigint() + BigInt(seconds * 1e9 / 5);
  let n = 0;
  const start = process.hrtime.bigint();
  while (process.hrtime.bigint() < until) {
    await request();
    n++;
  }
  const us = Number(process.hrtime.bigint() - start) / 1e3 / n;
  console.log(`${phase}: ${us.toFixed(1)} us/request (${n} requests)`);
}
