// MQTT.js over WebSocket, as a browser would connect: subscribe to js/in, answer every
// message on js/out with "echo:" + payload, leave after the first one. Args: URL.
const mqtt = require('mqtt');
const client = mqtt.connect(process.argv[2], { clientId: 'mqttjs-1', protocolVersion: 4, reconnectPeriod: 0 });
client.on('connect', () => {
  client.subscribe('js/in', { qos: 1 }, (err) => {
    if (err) { console.error('subscribe failed', err); process.exit(2); }
    console.log('subscribed');
  });
});
client.on('message', (topic, payload) => {
  client.publish('js/out', 'echo:' + payload.toString(), { qos: 1 }, () => client.end(false, () => process.exit(0)));
});
client.on('error', (err) => { console.error('error', err.message); process.exit(3); });
setTimeout(() => { console.error('timed out'); process.exit(4); }, 20000);
