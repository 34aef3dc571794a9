const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/entries'), clean: true },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: [{ input: 'apps/entries/prisma', glob: '**/*', output: 'prisma' }, { input: 'apps/entries/data', glob: '**/*', output: 'data' }],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      // The generated Prisma client requires @prisma/client/runtime at run time: keep it in the image's package.json.
      runtimeDependencies: ['@prisma/client'],
      sourceMap: true,
    }),
  ],
};
