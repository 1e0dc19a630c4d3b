// A real OpenID Provider on loopback for the single sign-on tests: panva's oidc-provider with its
// development login form (any login is accepted: the login is the account's subject). What the
// provider says of an account (its address, and whether it vouches for it) is set by the test
// first: PUT /test/accounts/<subject> {"email": …, "email_verified": …}, a side door of this
// script, not of the provider.
//
// Environment: OIDC_MODULES (the folder holding node_modules/oidc-provider), PORT (0: any), CLIENT_ID,
// CLIENT_SECRET, REDIRECT_URI (authdesk's callback), and optionally KEY_SEED (a different value
// gives different signing keys: a "provider that changed its keys").
// Prints "listening <issuer>" once it accepts connections.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.OIDC_MODULES;
const { default: Provider } = await import(pathToFileURL(join(modules, "node_modules", "oidc-provider", "lib", "index.js")));

// Bound first (PORT, or any free port when 0), so the issuer names the port actually held.
const server = createServer();
await new Promise((listening) => server.listen(Number(process.env.PORT || 0), "127.0.0.1", listening));
const issuer = `http://127.0.0.1:${server.address().port}`;

const accounts = new Map();

function account(sub) {
  return {
    accountId: sub,
    async claims() {
      return { sub, ...(accounts.get(sub) ?? {}) };
    },
  };
}

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [privateKey.export({ format: "jwk" })] },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  // The claims in the ID token itself (what a team's provider usually does for `email`).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  findAccount: (ctx, id) => account(id),
  features: { devInteractions: { enabled: true } },
});
const app = provider.callback();
server.on("request", (req, res) => {
  const side = req.url.match(/^\/test\/accounts\/([^/?]+)$/);
  if (!side || req.method !== "PUT") return app(req, res);
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    accounts.set(decodeURIComponent(side[1]), JSON.parse(body));
    res.writeHead(204).end();
  });
});
console.log(`listening ${issuer}`);
