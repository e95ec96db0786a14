// Independent plain-number implementations of the published update rules (PyTorch's documented
// pseudo-code), written without looking at src/optim's loops. Each factory returns a stepper that
// updates θ in place given the gradient of the objective at θ. Element-wise rules are applied to the
// concatenation of all parameters, which is equivalent to applying them parameter by parameter.
export type Stepper = (theta: number[], grad: readonly number[]) => void;
type H = Record<string, unknown>;

const num = (h: H, k: string, d: number): number => (h[k] as number | undefined) ?? d;
const flag = (h: H, k: string): boolean => (h[k] as boolean | undefined) ?? false;
const betas = (h: H): [number, number] => (h['betas'] as [number, number] | undefined) ?? [0.9, 0.999];
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function gradOf(theta: number[], grad: readonly number[], h: H, wd: number, decoupled: boolean, lr: number): number[] {
  const g = grad.map((v) => (flag(h, 'maximize') ? -v : v));
  if (wd !== 0) {
    for (let i = 0; i < theta.length; i++) {
      if (decoupled) theta[i] = theta[i]! - lr * wd * theta[i]!;
      else g[i] = g[i]! + wd * theta[i]!;
    }
  }
  return g;
}

export function refSGD(h: H): Stepper {
  const lr = num(h, 'lr', 1e-3),
    mu = num(h, 'momentum', 0),
    tau = num(h, 'dampening', 0),
    wd = num(h, 'weightDecay', 0);
  let buf: number[] | null = null;
  return (theta, grad) => {
    const g = gradOf(theta, grad, h, wd, false, lr);
    if (mu !== 0) {
      buf = buf === null ? g.slice() : buf.map((b, i) => mu * b + (1 - tau) * g[i]!);
      for (let i = 0; i < g.length; i++) g[i] = flag(h, 'nesterov') ? g[i]! + mu * buf[i]! : buf[i]!;
    }
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - lr * g[i]!;
  };
}

export function refAdagrad(h: H): Stepper {
  const lr = num(h, 'lr', 1e-2),
    eta = num(h, 'lrDecay', 0),
    wd = num(h, 'weightDecay', 0),
    eps = num(h, 'eps', 1e-10);
  let sum: number[] | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    sum ??= new Array<number>(theta.length).fill(num(h, 'initialAccumulatorValue', 0));
    const g = gradOf(theta, grad, h, wd, false, lr);
    const clr = lr / (1 + (t - 1) * eta);
    for (let i = 0; i < theta.length; i++) {
      sum[i] = sum[i]! + g[i]! * g[i]!;
      theta[i] = theta[i]! - (clr * g[i]!) / (Math.sqrt(sum[i]!) + eps);
    }
  };
}

export function refRMSprop(h: H): Stepper {
  const lr = num(h, 'lr', 1e-2),
    alpha = num(h, 'alpha', 0.99),
    eps = num(h, 'eps', 1e-8),
    wd = num(h, 'weightDecay', 0),
    mu = num(h, 'momentum', 0);
  let v: number[] | null = null,
    gAve: number[] | null = null,
    b: number[] | null = null;
  return (theta, grad) => {
    const n = theta.length;
    v ??= zeros(n);
    gAve ??= zeros(n);
    b ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, false, lr);
    for (let i = 0; i < n; i++) {
      v[i] = alpha * v[i]! + (1 - alpha) * g[i]! ** 2;
      let vt = v[i]!;
      if (flag(h, 'centered')) {
        gAve[i] = alpha * gAve[i]! + (1 - alpha) * g[i]!;
        vt = vt - gAve[i]! ** 2;
      }
      if (mu > 0) {
        b[i] = mu * b[i]! + g[i]! / (Math.sqrt(vt) + eps);
        theta[i] = theta[i]! - lr * b[i]!;
      } else {
        theta[i] = theta[i]! - (lr * g[i]!) / (Math.sqrt(vt) + eps);
      }
    }
  };
}

export function refAdam(h: H, adamW = false): Stepper {
  const lr = num(h, 'lr', 1e-3),
    eps = num(h, 'eps', 1e-8),
    wd = num(h, 'weightDecay', adamW ? 1e-2 : 0);
  const decoupled = adamW || flag(h, 'decoupledWeightDecay');
  const [b1, b2] = betas(h);
  let m: number[] | null = null,
    v: number[] | null = null,
    vMax: number[] | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    const n = theta.length;
    m ??= zeros(n);
    v ??= zeros(n);
    vMax ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, decoupled, lr);
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** t);
      let vHat: number;
      if (flag(h, 'amsgrad')) {
        vMax[i] = Math.max(vMax[i]!, v[i]!);
        vHat = vMax[i]! / (1 - b2 ** t);
      } else {
        vHat = v[i]! / (1 - b2 ** t);
      }
      theta[i] = theta[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

export function refAdadelta(h: H): Stepper {
  const lr = num(h, 'lr', 1),
    rho = num(h, 'rho', 0.9),
    eps = num(h, 'eps', 1e-6),
    wd = num(h, 'weightDecay', 0);
  let v: number[] | null = null,
    u: number[] | null = null;
  return (theta, grad) => {
    const n = theta.length;
    v ??= zeros(n);
    u ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, false, lr);
    for (let i = 0; i < n; i++) {
      v[i] = rho * v[i]! + (1 - rho) * g[i]! ** 2;
      const dx = (Math.sqrt(u[i]! + eps) / Math.sqrt(v[i]! + eps)) * g[i]!;
      u[i] = rho * u[i]! + (1 - rho) * dx ** 2;
      theta[i] = theta[i]! - lr * dx;
    }
  };
}

export function refAdamax(h: H): Stepper {
  const lr = num(h, 'lr', 2e-3),
    eps = num(h, 'eps', 1e-8),
    wd = num(h, 'weightDecay', 0);
  const [b1, b2] = betas(h);
  let m: number[] | null = null,
    u: number[] | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    const n = theta.length;
    m ??= zeros(n);
    u ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, false, lr);
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      u[i] = Math.max(b2 * u[i]!, Math.abs(g[i]!) + eps);
      theta[i] = theta[i]! - (lr * m[i]!) / ((1 - b1 ** t) * u[i]!);
    }
  };
}

export function refNAdam(h: H): Stepper {
  const lr = num(h, 'lr', 2e-3),
    eps = num(h, 'eps', 1e-8),
    wd = num(h, 'weightDecay', 0),
    psi = num(h, 'momentumDecay', 4e-3);
  const [b1, b2] = betas(h);
  const muOf = (t: number): number => b1 * (1 - 0.5 * 0.96 ** (t * psi));
  let m: number[] | null = null,
    v: number[] | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    const n = theta.length;
    m ??= zeros(n);
    v ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, flag(h, 'decoupledWeightDecay'), lr);
    let prodT = 1;
    for (let i = 1; i <= t; i++) prodT *= muOf(i);
    const prodT1 = prodT * muOf(t + 1);
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = (muOf(t + 1) * m[i]!) / (1 - prodT1) + ((1 - muOf(t)) * g[i]!) / (1 - prodT);
      const vHat = v[i]! / (1 - b2 ** t);
      theta[i] = theta[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

export function refRAdam(h: H): Stepper {
  const lr = num(h, 'lr', 1e-3),
    eps = num(h, 'eps', 1e-8),
    wd = num(h, 'weightDecay', 0);
  const [b1, b2] = betas(h);
  const rhoInf = 2 / (1 - b2) - 1;
  let m: number[] | null = null,
    v: number[] | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    const n = theta.length;
    m ??= zeros(n);
    v ??= zeros(n);
    const g = gradOf(theta, grad, h, wd, flag(h, 'decoupledWeightDecay'), lr);
    const rhoT = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** t);
      if (rhoT > 5) {
        const l = Math.sqrt(1 - b2 ** t) / (Math.sqrt(v[i]!) + eps);
        const r = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        theta[i] = theta[i]! - lr * mHat * r * l;
      } else {
        theta[i] = theta[i]! - lr * mHat;
      }
    }
  };
}

/**
 * L-BFGS with a fixed step (no line search), one iteration per call: the first direction is -g with
 * step min(1, 1/‖g‖₁)·lr, later ones come from the two-loop recursion over the last `m` pairs.
 */
export function refLBFGS(h: H): Stepper {
  const lr = num(h, 'lr', 1),
    m = num(h, 'historySize', 100);
  const S: number[][] = [],
    Y: number[][] = [];
  let prevG: number[] | null = null,
    prevD: number[] | null = null,
    prevT = 0,
    gamma = 1;
  const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
  return (theta, grad) => {
    let d: number[];
    let t: number;
    if (prevG === null) {
      d = grad.map((x) => -x);
      t = Math.min(1, 1 / grad.reduce((s, x) => s + Math.abs(x), 0)) * lr;
    } else {
      const y = grad.map((x, i) => x - prevG![i]!);
      const s = prevD!.map((x) => x * prevT);
      if (dot(y, s) > 1e-10) {
        if (S.length === m) {
          S.shift();
          Y.shift();
        }
        S.push(s);
        Y.push(y);
        gamma = dot(y, s) / dot(y, y);
      }
      const q = grad.map((x) => -x);
      const alpha: number[] = [];
      for (let i = S.length - 1; i >= 0; i--) {
        alpha[i] = dot(S[i]!, q) / dot(Y[i]!, S[i]!);
        for (let k = 0; k < q.length; k++) q[k] = q[k]! - alpha[i]! * Y[i]![k]!;
      }
      d = q.map((x) => x * gamma);
      for (let i = 0; i < S.length; i++) {
        const beta = dot(Y[i]!, d) / dot(Y[i]!, S[i]!);
        for (let k = 0; k < d.length; k++) d[k] = d[k]! + (alpha[i]! - beta) * S[i]![k]!;
      }
      t = lr;
    }
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + t * d[i]!;
    prevG = grad.slice();
    prevD = d;
    prevT = t;
  };
}
