// A hostile "provider" for the single sign-on tests: it publishes one key and answers the code
// exchange with an ID token the server must refuse — FORGE=key: signed with another key under the
// published key's id; FORGE=audience: signed with the published key but issued to another client.
// Environment: OIDC_MODULES (for jose, which oidc-provider brings), PORT (0: any), CLIENT_ID, FORGE.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const jose = await import(pathToFileURL(join(process.env.OIDC_MODULES, "node_modules", "jose", "dist", "webapi", "index.js")));
// Bound first (PORT, or any free port when 0), so the issuer names the port actually held.
const server = createServer();
await new Promise((listening) => server.listen(Number(process.env.PORT || 0), "127.0.0.1", listening));
const issuer = `http://127.0.0.1:${server.address().port}`;
const published = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const nonces = new Map();

async function idToken(code) {
  const forged = process.env.FORGE === "key";
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ email: "forged@example.com", email_verified: true, nonce: nonces.get(code) })
    .setProtectedHeader({ alg: "RS256", kid: "published" })
    .setIssuer(issuer)
    .setSubject("forged-subject")
    .setAudience(process.env.FORGE === "audience" ? "another-client" : process.env.CLIENT_ID)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(forged ? other.privateKey : published.privateKey);
}

server.on("request", async (req, res) => {
  const url = new URL(req.url, issuer);
  const json = (body) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (url.pathname === "/.well-known/openid-configuration") {
    return json({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
  }
  if (url.pathname === "/jwks") {
    return json({ keys: [{ ...published.publicKey.export({ format: "jwk" }), kid: "published", alg: "RS256", use: "sig" }] });
  }
  if (url.pathname === "/auth") {
    const code = `code-${nonces.size}`;
    nonces.set(code, url.searchParams.get("nonce"));
    const back = new URL(url.searchParams.get("redirect_uri"));
    back.searchParams.set("code", code);
    back.searchParams.set("state", url.searchParams.get("state"));
    return res.writeHead(303, { location: back.toString() }).end();
  }
  if (url.pathname === "/token" && req.method === "POST") {
    let body = "";
    for await (const chunk of req) body += chunk;
    const code = new URLSearchParams(body).get("code");
    return json({ access_token: "forged", token_type: "Bearer", expires_in: 300, id_token: await idToken(code) });
  }
  res.writeHead(404).end();
});
console.log(`listening ${issuer}`);
