public enum ForecastModule {}
