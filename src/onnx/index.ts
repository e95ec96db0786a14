/**
 * ONNX export: trace one forward pass of a model and write it as an ONNX file that ONNX Runtime
 * (servers, browsers, GPUs) can run.
 * @module
 */
export { exportModel, toBytes, OPSET_VERSION, type ExportOptions } from './export.js';
export { UnsupportedOpError } from './graph.js';
