Console.WriteLine("hpsearch worker");
