/**
 * The weak link's delay and loss, in user space (the kernel here has no netem qdisc; the
 * rate cap is a tbf on the veth, see tests/support/netns.ts). Run as its own process by
 * bench/weak.ts so its timers don't share an event loop with the server and the browsers'
 * driver:
 *
 *   node --import tsx bench/link-relay.ts '<json config>'
 *
 * config: { listenIp, targetIp, udpPorts: [min, max], tcp: [{ listen, target }], impaired: [ip…] }
 *
 * UDP: binds every port of the range on `listenIp` (the veth's host end, which the SFU
 * announces) and forwards each datagram to the same port on `targetIp` (where mediasoup
 * really listens), with one upstream socket per client address and port so the replies go
 * back to the right client. TCP (the HTTP / socket.io signalling): one upstream connection
 * per client connection. Only traffic from or to an `impaired` address is delayed (each
 * way) and, for UDP, dropped at random (each way); everyone else passes through unchanged.
 *
 * stdin, one JSON line each: { delayMs, loss } sets the impairment; { stats: true } prints
 * { up, down, droppedUp, droppedDown } (impaired datagrams only) on stdout.
 */
import dgram from "node:dgram";
import net from "node:net";
import readline from "node:readline";

interface Config {
  listenIp: string;
  targetIp: string;
  udpPorts: [number, number];
  tcp: { listen: number; target: number }[];
  impaired: string[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const impaired = new Set(config.impaired);
let delayMs = 0;
let loss = 0;
const counts = { up: 0, down: 0, droppedUp: 0, droppedDown: 0 };

/** Applies the impairment to one datagram (or chunk) of an impaired client; `send` delivers it. */
function pass(direction: "up" | "down", send: () => void, droppable: boolean): void {
  counts[direction]++;
  if (droppable && loss > 0 && Math.random() < loss) {
    counts[direction === "up" ? "droppedUp" : "droppedDown"]++;
    return;
  }
  // Same delay for every datagram: Node's timers of one duration fire in order, so nothing is reordered.
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
}

async function bindUdp(port: number): Promise<void> {
  const front = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  const upstreams = new Map<string, dgram.Socket>();
  front.on("message", (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    const weak = impaired.has(rinfo.address);
    let up = upstreams.get(key);
    if (!up) {
      const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
      socket.bind(0, config.targetIp);
      socket.on("message", (reply) => {
        const send = () => front.send(reply, rinfo.port, rinfo.address);
        if (weak) pass("down", send, true);
        else send();
      });
      socket.on("error", () => undefined);
      upstreams.set(key, socket);
      up = socket;
    }
    const target = up;
    const send = () => target.send(msg, port, config.targetIp);
    if (weak) pass("up", send, true);
    else send();
  });
  front.on("error", (error) => {
    console.error(`[link-relay] udp ${port}: ${error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.bind(port, config.listenIp, () => {
      front.off("error", reject);
      resolve();
    });
  });
}

async function bindTcp(listen: number, target: number): Promise<void> {
  const server = net.createServer((client) => {
    const weak = impaired.has(client.remoteAddress?.replace(/^::ffff:/, "") ?? "");
    const upstream = net.connect(target, config.targetIp);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Delay each chunk (no loss: TCP would retransmit it, after a round trip, which the delay already costs).
    const relay = (from: net.Socket, to: net.Socket, direction: "up" | "down") => {
      from.on("data", (chunk) => {
        const send = () => {
          if (!to.destroyed) to.write(chunk);
        };
        if (weak) pass(direction, send, false);
        else send();
      });
      from.on("end", () => (weak && delayMs > 0 ? setTimeout(() => to.end(), delayMs) : to.end()));
      from.on("error", () => to.destroy());
      from.on("close", () => setTimeout(() => to.destroy(), weak ? delayMs : 0));
    };
    relay(client, upstream, "up");
    relay(upstream, client, "down");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen, config.listenIp, () => resolve());
  });
}

for (let port = config.udpPorts[0]; port <= config.udpPorts[1]; port++) await bindUdp(port);
for (const t of config.tcp) await bindTcp(t.listen, t.target);
console.log(JSON.stringify({ ready: true }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line) as { delayMs?: number; loss?: number; stats?: boolean };
  if (msg.stats) {
    console.log(JSON.stringify(counts));
    return;
  }
  delayMs = msg.delayMs ?? delayMs;
  loss = msg.loss ?? loss;
  for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] = 0;
  console.log(JSON.stringify({ ok: true }));
});
process.stdin.on("end", () => process.exit(0));
