module.exports = {
  env: {
    dev: {
      presets: ["@vue/app"]
    },
    test: {
      presets: ["@babel/preset-env"]
    }
  }
};
