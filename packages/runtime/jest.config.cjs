module.exports = require('../../jest.preset.cjs').projects(__dirname);
