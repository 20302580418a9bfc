// MQTT.js as a browser or node app would connect: subscribe to js/in, answer every message on
// js/out with "echo:" + payload (+ "|" + the user property "k" under MQTT 5), leave after the
// first one. Args: URL [protocol version 4|5].
const mqtt = require('mqtt');
const version = Number(process.argv[3] || 4);
const client = mqtt.connect(process.argv[2], { clientId: 'mqttjs-' + version, protocolVersion: version, reconnectPeriod: 0 });
client.on('connect', () => {
  client.subscribe('js/in', { qos: 1 }, (err) => {
    if (err) { console.error('subscribe failed', err); process.exit(2); }
    console.log('subscribed');
  });
});
client.on('message', (topic, payload, packet) => {
  const props = (packet.properties && packet.properties.userProperties) || {};
  const suffix = version === 5 ? '|' + props.k : '';
  const options = version === 5 ? { qos: 1, properties: { userProperties: { from: 'js' } } } : { qos: 1 };
  client.publish('js/out', 'echo:' + payload.toString() + suffix, options, () => client.end(false, () => process.exit(0)));
});
client.on('error', (err) => { console.error('error', err.message); process.exit(3); });
setTimeout(() => { console.error('timed out'); process.exit(4); }, 20000);
