/**
 * The `nn` namespace: modules, parameters, layers, activations, losses, initialisation and checkpoints.
 * @module
 */
export { Module, LoadStateDictError, type ForwardHook, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList, ModuleDict, Identity } from './containers.js';
export * as init from './init.js';
export { save, load, toBytes, fromBytes } from './serialization.js';
