// The webpack build of a Podium service (apps/<service>/webpack.config.js calls it with its folder):
// one bundle of the service and the libs it imports (tsc compiler, so decorator metadata survives for Nest's DI),
// node_modules left external and listed in a generated package.json + lockfile for the image (docker/Dockerfile),
// and the service's prisma/ (schema + migrations, for `node main.js migrate`) and data/ copied next to main.js.
const { existsSync } = require('node:fs');
const { basename, join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');

/**
 * @param {string} appDir the service's folder (apps/<service>)
 * @param {{ assets?: { input: string, glob: string, output: string }[], runtimeDependencies?: string[] }} [options]
 *   more files to copy; packages to list in the image's package.json that Nx cannot see (e.g. one whose import
 *   resolves to its @types package)
 */
module.exports = function serviceWebpackConfig(appDir, options = {}) {
  const service = basename(appDir);
  const assets = ['prisma', 'data']
    .filter((folder) => existsSync(join(appDir, folder)))
    .map((folder) => ({ input: `apps/${service}/${folder}`, glob: '**/*', output: folder }))
    .concat(options.assets ?? []);
  return {
    output: { path: join(appDir, '../../dist/apps', service), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets,
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        // The generated Prisma client requires @prisma/client/runtime at run time: keep it in the image's package.json.
        runtimeDependencies: [
          ...(existsSync(join(appDir, 'prisma')) ? ['@prisma/client'] : []),
          ...(options.runtimeDependencies ?? []),
        ],
        sourceMap: true,
      }),
    ],
  };
};
