// The VS Code platforms a VSIX can be built for, and where each one's native code lives.
// onnxruntime-node ships every platform inside its own package (bin/napi-v6/<os>/<cpu>/);
// sharp ships one npm package per platform (@img/sharp-<platform>, plus @img/sharp-libvips-<platform>
// outside Windows), and npm installs only the ones matching the machine that ran `npm ci`.
// Alpine (musl) and 32-bit ARM are left out: onnxruntime-node has no binaries for them.

/**
 * @typedef {object} VsixTarget
 * @property {string} os         process.platform on that target
 * @property {string} cpu        process.arch on that target
 * @property {string} libc       'glibc' on Linux, '' elsewhere (matches npm's "libc" field)
 * @property {string} ortLibrary onnxruntime's shared library beside onnxruntime_binding.node
 * @property {string} sharpPlatform the suffix of sharp's @img/ packages
 * @property {RegExp} libvips    libvips's shared library, as a path under node_modules/@img/
 */

/** @type {Record<string, VsixTarget>} */
export const VSIX_TARGETS = {
  'linux-x64': {
    os: 'linux', cpu: 'x64', libc: 'glibc', ortLibrary: 'libonnxruntime.so.1', sharpPlatform: 'linux-x64',
    libvips: /^sharp-libvips-linux-x64\/lib\/libvips-cpp\.so\.[\d.]+$/,
  },
  'linux-arm64': {
    os: 'linux', cpu: 'arm64', libc: 'glibc', ortLibrary: 'libonnxruntime.so.1', sharpPlatform: 'linux-arm64',
    libvips: /^sharp-libvips-linux-arm64\/lib\/libvips-cpp\.so\.[\d.]+$/,
  },
  'darwin-x64': {
    os: 'darwin', cpu: 'x64', libc: '', ortLibrary: 'libonnxruntime.1.dylib', sharpPlatform: 'darwin-x64',
    libvips: /^sharp-libvips-darwin-x64\/lib\/libvips-cpp\.[\d.]+\.dylib$/,
  },
  'darwin-arm64': {
    os: 'darwin', cpu: 'arm64', libc: '', ortLibrary: 'libonnxruntime.1.dylib', sharpPlatform: 'darwin-arm64',
    libvips: /^sharp-libvips-darwin-arm64\/lib\/libvips-cpp\.[\d.]+\.dylib$/,
  },
  'win32-x64': {
    os: 'win32', cpu: 'x64', libc: '', ortLibrary: 'onnxruntime.dll', sharpPlatform: 'win32-x64',
    libvips: /^sharp-win32-x64\/lib\/libvips-42\.dll$/,
  },
  'win32-arm64': {
    os: 'win32', cpu: 'arm64', libc: '', ortLibrary: 'onnxruntime.dll', sharpPlatform: 'win32-arm64',
    libvips: /^sharp-win32-arm64\/lib\/libvips-42\.dll$/,
  },
};

/** onnxruntime-node's folder of native files for a target, relative to its package root. */
export function ortBinaryDir(target) {
  return `bin/napi-v6/${target.os}/${target.cpu}`;
}

/** The target of the machine this runs on, or undefined when no VSIX target matches it. */
export function hostTargetName() {
  const glibc = process.platform === 'linux' && Boolean(process.report?.getReport().header.glibcVersionRuntime);
  return Object.keys(VSIX_TARGETS).find((name) => {
    const target = VSIX_TARGETS[name];
    return target.os === process.platform && target.cpu === process.arch && (target.libc !== 'glibc' || glibc);
  });
}

/** sharp's native binding for a target, as a path under node_modules/@img/. */
export function sharpBinding(target) {
  const platform = target.sharpPlatform.replace(/[-.]/g, '\\$&');
  return new RegExp(`^sharp-${platform}/lib/sharp-${platform}-[\\d.]+\\.node$`);
}
