/** The sink contracts live in model/ (the pipeline imports them from there); re-exported for sink code. */
export type { Batch, DeliveryResult, Payload, SendFn, Sink } from '../model/delivery';
