// The official Polymarket client, pointed at the oddsgate relay, doing what the dashboard does:
// derive API credentials (L1), place an order (L2 + EIP-712), read open orders, cancel.
// Usage: node client-test.mjs <relay base, e.g. http://127.0.0.1:8080/poly> <private key> <token id>
import { ClobClient, Chain, OrderType, Side } from "@polymarket/clob-client-v2";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const [host, privateKey, tokenID] = process.argv.slice(2);
const account = privateKeyToAccount(privateKey);
// The wallet only signs locally; its transport is never used (no chain calls).
const signer = createWalletClient({ account, transport: http("http://127.0.0.1:9") });
const fail = (what, value) => { console.error(`FAIL ${what}: ${JSON.stringify(value)}`); process.exit(1); };

const creds = await new ClobClient({ host, chain: Chain.POLYGON, signer }).createOrDeriveApiKey();
if (!creds?.key || !creds?.secret || !creds?.passphrase) fail("createOrDeriveApiKey", creds);
const client = new ClobClient({ host, chain: Chain.POLYGON, signer, creds });

const placed = await client.createAndPostOrder({ tokenID, price: 0.41, side: Side.BUY, size: 10 },
    { tickSize: "0.01", negRisk: false }, OrderType.GTC);
if (!placed?.success || placed.status !== "live") fail("createAndPostOrder", placed);

const open = await client.getOpenOrders();
if (!Array.isArray(open) || !open.some(o => o.id === placed.orderID)) fail("getOpenOrders", open);

const canceled = await client.cancelOrder({ orderID: placed.orderID });
if (!canceled?.canceled?.includes(placed.orderID)) fail("cancelOrder", canceled);

console.log(JSON.stringify({ ok: true, address: account.address, orderID: placed.orderID }));
