// Check a BPMN file as bpmn.io reads it: parse with bpmn-moddle (the parser of bpmn-js,
// Camunda Modeler) and lint with bpmnlint's recommended rules. Prints one JSON object:
// {"warnings": [...parser warnings...], "lint": {"rule": [{"id", "message", "category"}]}}
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const xml = readFileSync(process.argv[2], 'utf8');
const moddle = new BpmnModdle();
const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
const linter = new Linter({
  config: { extends: 'bpmnlint:recommended' },
  resolver: new NodeResolver({ requireModule: require }),
});
const lint = await linter.lint(rootElement);
const elements = rootElement.rootElements.flatMap((e) => e.flowElements || []);
console.log(JSON.stringify({
  warnings: warnings.map((w) => w.message),
  lint,
  tasks: elements.filter((e) => e.$type === 'bpmn:Task').map((e) => e.name),
}));
