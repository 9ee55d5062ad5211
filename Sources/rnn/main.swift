print("rnn: under construction")
